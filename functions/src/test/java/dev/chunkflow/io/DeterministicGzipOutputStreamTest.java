package dev.chunkflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;

class DeterministicGzipOutputStreamTest {

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeterministicGzipOutputStream g = new DeterministicGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION)) {
            for (int i = 0; i < data.length; i += 1000) {
                g.write(data, i, Math.min(1000, data.length - i));
            }
        }
        return out.toByteArray();
    }

    @Test
    void roundTripsThroughTheJdkReaderAndIsByteIdenticalTwice() throws IOException {
        byte[] data = "visit,2024-01-01,token\n".repeat(20_000).getBytes(StandardCharsets.UTF_8);
        byte[] a = gzip(data);
        byte[] b = gzip(data);
        assertArrayEquals(a, b);
        assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(a)).readAllBytes());
    }

    @Test
    void headerHasNoTimestampAndUnknownOs() throws IOException {
        byte[] g = gzip("x".getBytes(StandardCharsets.UTF_8));
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff}, java.util.Arrays.copyOf(g, 10));
    }

    @Test
    void emptyInputIsAValidEmptyMember() throws IOException {
        byte[] g = gzip(new byte[0]);
        assertEquals(0, new GZIPInputStream(new ByteArrayInputStream(g)).readAllBytes().length);
    }
}
