package dev.chunkflow.pipeline.plan;

import java.util.List;

import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyEncoder;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.KeyType;

/**
 * The planner's index: one row count per key. Keys the workload's {@link KeyEncoder} packs live in a
 * primitive map (20 to 40 bytes a key); the others (all keys of a workload without an encoder, and the
 * malformed ones of a workload with one) in {@link GeneralKeys}. {@link #add} returns a code for the row's
 * scratch record: the encoder's (non-negative) or {@code -2 - id} for a general key, so the second pass
 * finds a row's chunk from the code alone.
 */
final class KeyIndex {
    private final KeyEncoder encoder;
    private final KeyType[] types;
    private final boolean textOrder;
    private final LongIntMap codes = new LongIntMap(1 << 16);
    private final GeneralKeys general;
    private final int partitions;

    KeyIndex(GroupingKey key, int partitions) {
        this.encoder = key.encoder().orElse(null);
        List<KeyPart> parts = key.parts();
        this.types = parts.stream().map(KeyPart::type).toArray(KeyType[]::new);
        this.textOrder = parts.stream().allMatch(p -> p.type() == KeyType.STRING);
        this.general = new GeneralKeys(types.length, partitions);
        this.partitions = partitions;
    }

    KeyEncoder encoder() {
        return encoder;
    }

    GeneralKeys general() {
        return general;
    }

    static boolean isGeneral(long code) {
        return code < KeyEncoder.NONE;
    }

    static int generalId(long code) {
        return (int) (-2 - code);
    }

    /** Counts one row of {@code key}; returns its code (see the class comment). */
    long add(String[] key) {
        long code = encoder == null ? KeyEncoder.NONE : encoder.encode(key);
        if (code != KeyEncoder.NONE) {
            codes.add(code, 1);
            return code;
        }
        return -2L - general.add(key);
    }

    /** Counts one row of an already encoded key (a fan-out partition worker reads codes, not key text). */
    void addCode(long code) {
        codes.add(code, 1);
    }

    /** Distinct keys per partition, without sorting them. */
    int[] keysPerPartition() {
        int[] keys = new int[partitions];
        codes.forEach((code, rows) -> keys[Partitioning.of(code, partitions)]++);
        for (int id = 0; id < general.size(); id++) {
            keys[general.partition(id)]++;
        }
        return keys;
    }

    /** The scratch partition of a code {@link #add} returned. */
    int partition(long code) {
        return isGeneral(code) ? general.partition(generalId(code)) : Partitioning.of(code, partitions);
    }

    int size() {
        return codes.size() + general.size();
    }

    /** One partition's keys in plan order: packed codes ascending, then the general keys' ids in the key's order. */
    record Planned(long[] codes, int[] general, int[] rows) {
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
        int[] generalSizes = new int[partitions];
        for (int id = 0; id < general.size(); id++) {
            generalSizes[general.partition(id)]++;
        }
        int[][] generalIds = new int[partitions][];
        for (int p = 0; p < partitions; p++) {
            generalIds[p] = new int[generalSizes[p]];
        }
        int[] generalFill = new int[partitions];
        for (int id = 0; id < general.size(); id++) {
            int p = general.partition(id);
            generalIds[p][generalFill[p]++] = id;
        }
        Planned[] planned = new Planned[partitions];
        for (int p = 0; p < partitions; p++) {
            long[] c = byPartition[p];
            java.util.Arrays.sort(c);
            int[] g = sorted(generalIds[p]);
            int[] rows = new int[c.length + g.length];
            for (int i = 0; i < c.length; i++) {
                rows[i] = codes.get(c[i], 0);
            }
            for (int i = 0; i < g.length; i++) {
                rows[c.length + i] = general.rows(g[i]);
            }
            planned[p] = new Planned(c, g, rows);
        }
        return planned;
    }

    /** General key ids in the grouping key's order: by their stored bytes, or by a sort form when a part is typed. */
    private int[] sorted(int[] ids) {
        int n = ids.length;
        byte[][] page = new byte[n][];
        int[] offset = new int[n];
        int[] length = new int[n];
        KeyBytes forms = textOrder ? null : new KeyBytes();
        for (int i = 0; i < n; i++) {
            int id = ids[i];
            if (textOrder) {
                page[i] = general.page(id);
                offset[i] = general.offset(id);
                length[i] = general.length(id);
            } else {
                offset[i] = forms.length();
                forms.sortForm(types, general.parts(id));
                length[i] = forms.length() - offset[i];
            }
        }
        if (!textOrder) {
            java.util.Arrays.fill(page, forms.bytes());
        }
        int[] order = KeySort.order(page, offset, length);
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            out[i] = ids[order[i]];
        }
        return out;
    }
}
