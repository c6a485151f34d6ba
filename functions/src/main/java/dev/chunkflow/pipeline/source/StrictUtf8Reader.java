package dev.chunkflow.pipeline.source;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * UTF-8 text that does not hide invalid bytes: each invalid sequence becomes U+FFFD (so parsing goes on)
 * and is counted, and the reader of records asks {@link #invalidSequences()} to reject the records that
 * hold one. {@link java.io.InputStreamReader} would replace them silently.
 */
final class StrictUtf8Reader extends Reader {
    static final char REPLACEMENT = '\uFFFD';

    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private final ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    private boolean eof;
    private boolean flushed;
    private long invalid;

    StrictUtf8Reader(InputStream in) {
        this.in = in;
        bytes.flip();
    }

    /** Invalid sequences replaced so far (the parser reads ahead: they may belong to records not yet returned). */
    long invalidSequences() {
        return invalid;
    }

    @Override
    public int read(char[] cbuf, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        CharBuffer out = CharBuffer.wrap(cbuf, off, len);
        while (true) {
            CoderResult r = decoder.decode(bytes, out, eof);
            if (r.isError()) {
                if (!out.hasRemaining()) {
                    break;
                }
                bytes.position(bytes.position() + r.length());
                out.put(REPLACEMENT);
                invalid++;
                continue;
            }
            if (out.position() > off || r.isOverflow()) {
                break;
            }
            if (eof) {
                if (!flushed) {
                    decoder.flush(out);
                    flushed = true;
                }
                break;
            }
            fill();
        }
        int n = out.position() - off;
        return n == 0 && eof ? -1 : n;
    }

    private void fill() throws IOException {
        bytes.compact();
        int n = in.read(bytes.array(), bytes.position(), bytes.remaining());
        if (n < 0) {
            eof = true;
        } else {
            bytes.position(bytes.position() + n);
        }
        bytes.flip();
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
