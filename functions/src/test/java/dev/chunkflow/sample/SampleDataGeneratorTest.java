package dev.chunkflow.sample;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.testkit.CsvLine;
import dev.chunkflow.workloads.visits.VisitCsv;

class SampleDataGeneratorTest {

    private static List<byte[]> generate(SampleDataGenerator.Config c) {
        List<ByteArrayOutputStream> files = new ArrayList<>();
        new SampleDataGenerator(c).write(i -> {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            files.add(o);
            return o;
        });
        return files.stream().map(ByteArrayOutputStream::toByteArray).toList();
    }

    @Test
    void sameSeedSameBytesOtherSeedOtherBytes() {
        SampleDataGenerator.Config c = SampleDataGenerator.Config.of(5_000, 11).withFiles(3).withGzip(true);
        List<byte[]> a = generate(c);
        List<byte[]> b = generate(c);
        assertEquals(3, a.size());
        for (int i = 0; i < a.size(); i++) {
            assertArrayEquals(a.get(i), b.get(i));
        }
        assertFalse(java.util.Arrays.equals(a.get(0), generate(SampleDataGenerator.Config.of(5_000, 12).withFiles(3).withGzip(true)).get(0)));
    }

    @Test
    void hasSkewDuplicatesOfTheSameKeyAndMalformedRows() throws IOException {
        List<byte[]> files = generate(SampleDataGenerator.Config.of(40_000, 3).withFiles(2).withGzip(true));
        Map<String, Integer> perSsn = new HashMap<>();
        Map<String, String> keyOfVisit = new HashMap<>();
        int rows = 0;
        int malformed = 0;
        int duplicates = 0;
        String[] f = new String[8];
        for (byte[] file : files) {
            List<String> lines = new String(new GZIPInputStream(new ByteArrayInputStream(file)).readAllBytes(),
                    StandardCharsets.UTF_8).lines().toList();
            assertEquals(VisitCsv.HEADER, lines.get(0));
            for (String line : lines.subList(1, lines.size())) {
                rows++;
                f = CsvLine.fields(line);
                int n = f.length;
                boolean ok = n == 7 && !f[3].isEmpty() && f[2].matches("\\d{3}-\\d{2}-\\d{4}")
                        && f[1].matches("\\d{4}-\\d{2}-(0[1-9]|[12]\\d|30|31)") && f[5].matches("\\d+")
                        && f[6].endsWith("Z") && !f[1].endsWith("-32");
                if (!ok) {
                    malformed++;
                    continue;
                }
                perSsn.merge(f[2], 1, Integer::sum);
                String key = f[1] + "|" + f[2];
                String previous = keyOfVisit.putIfAbsent(f[0], key);
                if (previous != null) {
                    duplicates++;
                    assertEquals(previous, key, "all versions of a visit share its key");
                }
            }
        }
        assertEquals(40_000, rows);
        assertTrue(malformed > 200 && malformed < 700, "malformed " + malformed);
        assertTrue(duplicates > 1_200 && duplicates < 2_800, "duplicates " + duplicates);
        List<Integer> counts = new ArrayList<>(perSsn.values());
        counts.sort(java.util.Comparator.reverseOrder());
        long top = counts.subList(0, Math.max(1, counts.size() / 100)).stream().mapToLong(Integer::longValue).sum();
        long all = counts.stream().mapToLong(Integer::longValue).sum();
        assertTrue(top * 100 / all >= 10, "top 1% of patients hold " + (top * 100 / all) + "% of rows");
        Set<String> distinct = new HashSet<>(perSsn.keySet());
        assertTrue(distinct.size() > 500, "patients " + distinct.size());
    }

    @Test
    void commandLineWritesFilesAndExplainsItself(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(0, SampleDataGenerator.run(new String[] {"--help"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("--seed"));
        assertEquals(2, SampleDataGenerator.run(new String[] {"--rows", "x", "--out", dir.toString()},
                new PrintStream(out), new PrintStream(err)));
        assertEquals(2, SampleDataGenerator.run(new String[] {"--rows", "10"}, new PrintStream(out), new PrintStream(err)));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("--out DIR is required"));
        out.reset();
        assertEquals(0, SampleDataGenerator.run(new String[] {"--rows", "100", "--files", "2", "--out", dir.toString()},
                new PrintStream(out), new PrintStream(err)));
        assertTrue(Files.exists(dir.resolve("visits-0000.csv")) && Files.exists(dir.resolve("visits-0001.csv")));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("\"rows\":100"));
        assertEquals(101, Files.readAllLines(dir.resolve("visits-0000.csv")).size()
                + Files.readAllLines(dir.resolve("visits-0001.csv")).size() - 1);
    }
}
