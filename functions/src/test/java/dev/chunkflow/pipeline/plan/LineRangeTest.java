package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** Byte-range splits of JSON Lines: every line read once, by the split it starts in, with the object's line numbers. */
class LineRangeTest {

    private static byte[] text(SplittableRandom r, int lines) {
        StringBuilder b = new StringBuilder();
        String[] breaks = {"\n", "\n", "\n", "\r\n", "\r"};
        for (int i = 0; i < lines; i++) {
            int len = r.nextInt(0, r.nextInt(10) == 0 ? 300 : 40);
            for (int j = 0; j < len; j++) {
                b.append(r.nextInt(10) == 0 ? 'é' : (char) ('a' + r.nextInt(26)));
            }
            b.append(breaks[r.nextInt(breaks.length)]);
        }
        if (r.nextBoolean()) {
            b.append("{\"last\":\"no line break\"}");
        }
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static long readerLines(byte[] bytes) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(new ByteArrayInputStream(bytes), StandardCharsets.UTF_8));
        long n = 0;
        while (in.readLine() != null) {
            n++;
        }
        return n;
    }

    @Test
    void splitsAtAnyOffsetsCoverTheObjectOnceAndCountItsLines() throws IOException {
        SplittableRandom r = new SplittableRandom(7);
        for (int round = 0; round < 200; round++) {
            byte[] object = text(r, r.nextInt(0, 60));
            int step = r.nextInt(1, 120);
            ByteArrayOutputStream joined = new ByteArrayOutputStream();
            long lines = 0;
            for (int start = 0; start < object.length || start == 0; start += step) {
                int end = Math.min(object.length, start + step);
                int from = Math.max(0, start - 1);
                LineRange range = new LineRange(new ByteArrayInputStream(Arrays.copyOfRange(object, from, object.length)), start, end);
                byte[] piece = range.readAllBytes();
                joined.write(piece);
                assertEquals(readerLines(piece), range.lines(), "lines of a piece as BufferedReader counts them");
                lines += range.lines();
                if (object.length == 0) {
                    break;
                }
            }
            assertArrayEquals(object, joined.toByteArray(), "round " + round + ", splits of " + step + " bytes");
            assertEquals(readerLines(object), lines, "round " + round);
        }
    }
}
