package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;

/**
 * The lines of an object that start in bytes {@code [start, end)}: the last one runs on past {@code end}
 * to its newline. Splits cut this way at consecutive offsets cover every line exactly once, and each
 * one's {@link #lines()} (counted as {@link java.io.BufferedReader} counts them: LF, CR LF or a lone CR)
 * gives the next split of the object its first line number.
 */
final class LineRange extends InputStream {
    private final InputStream in;
    private final long end;
    private final byte[] buf = new byte[64 * 1024];
    private int pos;
    private int lim;
    /** Object offset of {@code buf[pos]}. */
    private long offset;
    private boolean done;
    private long lines;
    private boolean lastWasCr;
    private int lastByte = '\n';

    /** @param in the object from byte {@code max(0, start - 1)} on (the byte before the range says whether a line starts at it) */
    LineRange(InputStream in, long start, long end) throws IOException {
        this.in = in;
        this.end = end;
        this.offset = start == 0 ? 0 : start - 1;
        if (start > 0) {
            skipPastNewline();
        }
        done |= offset >= end;
    }

    private void skipPastNewline() throws IOException {
        while (true) {
            if (pos == lim && !fill()) {
                done = true;
                return;
            }
            byte b = buf[pos++];
            offset++;
            if (b == '\n') {
                return;
            }
        }
    }

    private boolean fill() throws IOException {
        int n = in.read(buf, 0, buf.length);
        if (n <= 0) {
            return false;
        }
        pos = 0;
        lim = n;
        return true;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        if (len == 0) {
            return 0;
        }
        if (done || (pos == lim && !fill())) {
            done = true;
            return -1;
        }
        int n = Math.min(len, lim - pos);
        for (int i = 0; i < n; i++) {
            byte c = buf[pos + i];
            if (c == '\r') {
                lines++;
                lastWasCr = true;
            } else {
                if (c == '\n') {
                    if (!lastWasCr) {
                        lines++;
                    }
                    if (offset + i + 1 >= end) {
                        n = i + 1;
                        done = true;
                    }
                }
                lastWasCr = false;
            }
        }
        System.arraycopy(buf, pos, b, off, n);
        lastByte = buf[pos + n - 1];
        pos += n;
        offset += n;
        return n;
    }

    /** Lines read so far, a last line without a line break included. */
    long lines() {
        return lines + (lastByte == '\n' || lastByte == '\r' ? 0 : 1);
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
