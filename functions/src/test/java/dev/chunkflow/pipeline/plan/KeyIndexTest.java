package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyPart;

/**
 * The general key path (keys without an encoder): every key counted under one id, its partition the
 * fixed 31-fold hash, and each partition's keys in exactly the order of {@link GroupingKey#comparator()},
 * for string, date and number parts and for the awkward values (lone surrogates, NUL, chars at the
 * encoding's boundaries, malformed dates and numbers).
 */
class KeyIndexTest {
    private static final String[] AWKWARD = {"", "a", "ab", "a\u0000", "\u0000", "\u007e", "\u007f", "\u0080", "\u00ff",
        "\u3ffe", "\u3fff", "\u4000", "\ud800", "?", "\udfff", "\ud83d\ude00", "\ue000", "\uffff", "\uffff\uffff",
        "2024-02-29", "2023-02-29", "+12024-01-01", "-0001-01-01", "0", "-0", "0.00", "1", "1.0", "10", "9", "-1", "-1.5",
        "-1.25", "1e3", "1000", "1E+3", "-1e-3", "0.001", "12345678901234567890.5", "NaN", "abc", "2024-1-1", " 1"};

    private static String randomValue(SplittableRandom r) {
        return switch (r.nextInt(6)) {
            case 0 -> AWKWARD[r.nextInt(AWKWARD.length)];
            case 1 -> String.format("%04d-%02d-%02d", 1990 + r.nextInt(40), 1 + r.nextInt(12), 1 + r.nextInt(28));
            case 2 -> Long.toString(r.nextLong(-1_000_000, 1_000_000)) + (r.nextBoolean() ? "" : "." + r.nextInt(1000));
            case 3 -> Double.toString(r.nextDouble(-1e6, 1e6));
            default -> {
                StringBuilder sb = new StringBuilder();
                int n = r.nextInt(12);
                for (int i = 0; i < n; i++) {
                    sb.append((char) (r.nextBoolean() ? 'a' + r.nextInt(4) : r.nextInt(0x10000)));
                }
                yield sb.toString();
            }
        };
    }

    /** Adds {@code rows}; returns key -> count, in first-seen order. */
    private static Map<List<String>, Integer> fill(KeyIndex index, List<String[]> rows) {
        Map<List<String>, Integer> counts = new LinkedHashMap<>();
        Map<List<String>, Long> codes = new HashMap<>();
        for (String[] row : rows) {
            long code = index.add(row.clone());
            assertTrue(KeyIndex.isGeneral(code), "no encoder: every key is general");
            Long before = codes.putIfAbsent(List.of(row), code);
            assertTrue(before == null || before == code, "one key, one code");
            counts.merge(List.of(row), 1, Integer::sum);
        }
        return counts;
    }

    private static void assertPlanOrder(GroupingKey key, int partitions, long seed, int n) {
        SplittableRandom r = new SplittableRandom(seed);
        List<String[]> rows = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            String[] k = new String[key.parts().size()];
            for (int p = 0; p < k.length; p++) {
                k[p] = randomValue(r);
            }
            rows.add(k);
            if (r.nextInt(4) == 0) {
                rows.add(k.clone()); // the same key again
            }
        }
        KeyIndex index = new KeyIndex(key, partitions);
        Map<List<String>, Integer> counts = fill(index, rows);
        assertEquals(counts.size(), index.size());

        Comparator<String[]> order = key.comparator();
        List<List<String[]>> expected = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            expected.add(new ArrayList<>());
        }
        for (List<String> k : counts.keySet()) {
            String[] parts = k.toArray(String[]::new);
            expected.get(Partitioning.ofParts(parts, partitions)).add(parts);
        }
        KeyIndex.Planned[] planned = index.byPartition();
        for (int p = 0; p < partitions; p++) {
            List<String[]> want = expected.get(p);
            want.sort(order);
            KeyIndex.Planned got = planned[p];
            assertEquals(0, got.codes().length);
            assertEquals(want.size(), got.general().length, "partition " + p + " keys");
            for (int i = 0; i < want.size(); i++) {
                int id = got.general()[i];
                assertArrayEquals(want.get(i), index.general().parts(id), "partition " + p + " position " + i);
                assertEquals(index.general().partition(id), p);
                assertEquals(counts.get(List.of(want.get(i))), got.rows()[i]);
            }
        }
    }

    @Test
    void stringKeysPlanInTheComparatorsOrderAndCountEveryRow() {
        assertPlanOrder(GroupingKey.of(KeyPart.string("a"), KeyPart.string("b")), 3, 1, 20_000);
    }

    @Test
    void typedKeysPlanInTheComparatorsOrder() {
        assertPlanOrder(GroupingKey.of(KeyPart.date("d"), KeyPart.number("n"), KeyPart.string("s")), 2, 2, 20_000);
        assertPlanOrder(GroupingKey.of(KeyPart.number("n")), 1, 3, 20_000);
        assertPlanOrder(GroupingKey.of(KeyPart.date("d")), 1, 4, 5_000);
    }

    @Test
    void manyKeysSpanSeveralPagesAndTableGrowths() {
        KeyIndex index = new KeyIndex(GroupingKey.of(KeyPart.string("user_id")), 4);
        int n = 150_000; // about 2.4 MB of key bytes: three 1 MB pages
        for (int round = 0; round < 2; round++) {
            for (int i = 0; i < n; i++) {
                index.add(new String[] {"user-" + Integer.toString(i * 7919, 36) + "-xyz"});
            }
        }
        assertEquals(n, index.size());
        long rows = 0;
        String previous = null;
        for (KeyIndex.Planned p : index.byPartition()) {
            previous = null;
            for (int i = 0; i < p.general().length; i++) {
                String k = index.general().parts(p.general()[i])[0];
                assertTrue(previous == null || previous.compareTo(k) < 0, "ascending inside a partition");
                previous = k;
                assertEquals(2, p.rows()[i]);
                rows += p.rows()[i];
            }
        }
        assertEquals(2L * n, rows);
    }

    @Test
    void valuesUtf8WouldMergeStayDistinct() {
        // String.getBytes(UTF_8) turns a lone surrogate into '?': the index must not.
        KeyIndex index = new KeyIndex(GroupingKey.of(KeyPart.string("user_id")), 1);
        long surrogate = index.add(new String[] {"\ud800"});
        long question = index.add(new String[] {"?"});
        assertNotEquals(surrogate, question);
        assertEquals(2, index.size());
        assertArrayEquals(new String[] {"\ud800"}, index.general().parts(KeyIndex.generalId(surrogate)));
    }
}
