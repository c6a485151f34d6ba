package dev.chunkflow.pipeline.plan;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyEncoder;

/**
 * The planner's index: one row count per key. Keys the workload's {@link KeyEncoder} packs live in a
 * primitive map (20 to 40 bytes a key); the others (all keys of a workload without an encoder, and the
 * malformed ones of a workload with one) are {@link Key} objects.
 */
final class KeyIndex {
    private final KeyEncoder encoder;
    private final Comparator<String[]> order;
    private final LongIntMap codes = new LongIntMap(1 << 16);
    private final Map<Key, int[]> general = new HashMap<>();
    private final int partitions;
    private Key lastGeneral;

    KeyIndex(GroupingKey key, int partitions) {
        this.encoder = key.encoder().orElse(null);
        this.order = key.comparator();
        this.partitions = partitions;
    }

    KeyEncoder encoder() {
        return encoder;
    }

    /** Counts one row of {@code key}; returns its code, or {@link KeyEncoder#NONE} (then see {@link #lastGeneralKey()}). */
    long add(String[] key) {
        long code = encoder == null ? KeyEncoder.NONE : encoder.encode(key);
        if (code != KeyEncoder.NONE) {
            codes.add(code, 1);
            return code;
        }
        Key k = new Key(key);
        int[] count = general.get(k);
        if (count == null) {
            general.put(k, new int[] {1});
        } else {
            count[0]++;
        }
        lastGeneral = k;
        return KeyEncoder.NONE;
    }

    /** Counts one row of an already encoded key (a fan-out partition worker reads codes, not key text). */
    void addCode(long code) {
        codes.add(code, 1);
    }

    /** Distinct keys per partition, without sorting them. */
    int[] keysPerPartition() {
        int[] keys = new int[partitions];
        codes.forEach((code, rows) -> keys[Partitioning.of(code, partitions)]++);
        for (Key k : general.keySet()) {
            keys[Partitioning.of(k, partitions)]++;
        }
        return keys;
    }

    Key lastGeneralKey() {
        return lastGeneral;
    }

    int size() {
        return codes.size() + general.size();
    }

    /** One partition's keys in plan order: packed codes ascending, then the other keys in the key's order. */
    record Planned(long[] codes, List<Key> general, int[] rows) {
        int size() {
            return rows.length;
        }
    }

    Planned[] byPartition() {
        int[] sizes = new int[partitions];
        codes.forEach((code, rows) -> sizes[Partitioning.of(code, partitions)]++);
        long[][] byPartition = new long[partitions][];
        for (int p = 0; p < partitions; p++) {
            byPartition[p] = new long[sizes[p]];
        }
        int[] fill = new int[partitions];
        codes.forEach((code, rows) -> {
            int p = Partitioning.of(code, partitions);
            byPartition[p][fill[p]++] = code;
        });
        List<List<Key>> others = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            others.add(new ArrayList<>());
        }
        for (Key k : general.keySet()) {
            others.get(Partitioning.of(k, partitions)).add(k);
        }
        Comparator<Key> keyOrder = (a, b) -> order.compare(a.parts(), b.parts());
        Planned[] planned = new Planned[partitions];
        for (int p = 0; p < partitions; p++) {
            long[] c = byPartition[p];
            Arrays.sort(c);
            List<Key> g = others.get(p);
            g.sort(keyOrder);
            int[] rows = new int[c.length + g.size()];
            for (int i = 0; i < c.length; i++) {
                rows[i] = codes.get(c[i], 0);
            }
            for (int i = 0; i < g.size(); i++) {
                rows[c.length + i] = general.get(g.get(i))[0];
            }
            planned[p] = new Planned(c, g, rows);
        }
        return planned;
    }
}
