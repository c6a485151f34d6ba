package dev.chunkflow.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * A gzip writer whose bytes depend only on the data and the level: the 10-byte header is fixed
 * (MTIME 0, no file name, XFL 0, OS 255 "unknown") instead of whatever the JDK version writes, so a
 * retried task produces byte-identical objects (same ETag) on the same runtime.
 */
public final class DeterministicGzipOutputStream extends OutputStream {
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};

    private final OutputStream out;
    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final byte[] buf = new byte[64 * 1024];
    private long size;
    private boolean closed;

    public DeterministicGzipOutputStream(OutputStream out, int level) throws IOException {
        this.out = out;
        this.deflater = new Deflater(level, true);
        out.write(HEADER);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        if (closed) {
            throw new IOException("stream closed");
        }
        if (len == 0) {
            return;
        }
        crc.update(b, off, len);
        size += len;
        deflater.setInput(b, off, len);
        while (!deflater.needsInput()) {
            drain(Deflater.NO_FLUSH);
        }
    }

    private void drain(int flush) throws IOException {
        int n = deflater.deflate(buf, 0, buf.length, flush);
        if (n > 0) {
            out.write(buf, 0, n);
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        try {
            deflater.finish();
            while (!deflater.finished()) {
                drain(Deflater.NO_FLUSH);
            }
            long c = crc.getValue();
            byte[] trailer = {
                (byte) c, (byte) (c >>> 8), (byte) (c >>> 16), (byte) (c >>> 24),
                (byte) size, (byte) (size >>> 8), (byte) (size >>> 16), (byte) (size >>> 24)};
            out.write(trailer);
        } finally {
            deflater.end();
            out.close();
        }
    }
}
