package dev.chunkflow.pipeline.plan;

import java.util.Arrays;

/**
 * The planner's keys that no {@link dev.chunkflow.workload.KeyEncoder} packs, each under a dense id
 * (0, 1, ... in order of first sight). A key is stored once, as its {@link KeyBytes} text form in 1 MB
 * byte pages, with its row count and planning partition in primitive arrays; lookups go through an
 * open-addressing table of {@code hash << 32 | id + 1} longs. About 40 bytes per key plus its text,
 * against some 200 for a HashMap of String arrays, and no pointer chasing per record or per comparison.
 * Like {@link LongIntMap}, the table is split into segments that grow on their own, and the per-key
 * arrays grow by blocks, so no growth step copies the whole index.
 */
final class GeneralKeys {
    private static final int PAGE = 1 << 20;
    private static final int BLOCK_BITS = 14;
    private static final int BLOCK = 1 << BLOCK_BITS;
    private static final int SEGMENT_BITS = 6;
    private static final int SEGMENTS = 1 << SEGMENT_BITS;

    private final int keyParts;
    private final int partitions;
    private final KeyBytes scratch = new KeyBytes();

    private byte[][] pages = new byte[8][];
    private int pageCount;
    private int pageUsed = PAGE;

    private long[][] location = new long[8][]; // page << 32 | offset
    private int[][] length = new int[8][];
    private int[][] partition = new int[8][];
    private int[][] rows = new int[8][];
    private int size;

    private final long[][] tables = new long[SEGMENTS][];
    private final int[] used = new int[SEGMENTS];

    GeneralKeys(int keyParts, int partitions) {
        this.keyParts = keyParts;
        this.partitions = partitions;
        for (int s = 0; s < SEGMENTS; s++) {
            tables[s] = new long[16];
        }
    }

    int size() {
        return size;
    }

    /** Counts one row of {@code parts}; returns the key's id. */
    int add(String[] parts) {
        KeyBytes k = scratch.reset().text(parts);
        int hash = hash(parts);
        int s = hash >>> (32 - SEGMENT_BITS);
        long[] table = tables[s];
        int mask = table.length - 1;
        for (int i = hash & mask; ; i = (i + 1) & mask) {
            long slot = table[i];
            if (slot == 0) {
                int id = insert(k.bytes(), k.length(), parts);
                table[i] = (long) hash << 32 | (id + 1L);
                if (++used[s] * 10L > table.length * 6L) {
                    grow(s);
                }
                rows[id >>> BLOCK_BITS][id & (BLOCK - 1)] = 1;
                return id;
            }
            if ((int) (slot >>> 32) == hash) {
                int id = (int) slot - 1;
                if (sameBytes(id, k.bytes(), k.length())) {
                    rows[id >>> BLOCK_BITS][id & (BLOCK - 1)]++;
                    return id;
                }
            }
        }
    }

    int rows(int id) {
        return rows[id >>> BLOCK_BITS][id & (BLOCK - 1)];
    }

    int partition(int id) {
        return partition[id >>> BLOCK_BITS][id & (BLOCK - 1)];
    }

    byte[] page(int id) {
        return pages[(int) (location[id >>> BLOCK_BITS][id & (BLOCK - 1)] >>> 32)];
    }

    int offset(int id) {
        return (int) location[id >>> BLOCK_BITS][id & (BLOCK - 1)];
    }

    int length(int id) {
        return length[id >>> BLOCK_BITS][id & (BLOCK - 1)];
    }

    /** The key's parts, decoded from its bytes. */
    String[] parts(int id) {
        return KeyBytes.decode(page(id), offset(id), keyParts);
    }

    /** Mixes the parts' String hashes (kept: the planning partition comes from their 31-fold, see {@link Partitioning}). */
    private static int hash(String[] parts) {
        int h = 0x2545F491;
        for (String p : parts) {
            h = (h ^ p.hashCode()) * 0x9E3779B1;
            h ^= h >>> 15;
        }
        h *= 0x85EBCA6B;
        return h ^ (h >>> 13);
    }

    private boolean sameBytes(int id, byte[] b, int n) {
        int off = offset(id);
        return length(id) == n && Arrays.equals(page(id), off, off + n, b, 0, n);
    }

    private int insert(byte[] b, int n, String[] parts) {
        if (size == Integer.MAX_VALUE - 1) {
            throw new IllegalStateException("more than " + (Integer.MAX_VALUE - 1) + " distinct keys in one plan");
        }
        if (pageUsed + n > PAGE) {
            if (pageCount == pages.length) {
                pages = Arrays.copyOf(pages, pageCount * 2);
            }
            pages[pageCount++] = new byte[Math.max(PAGE, n)];
            pageUsed = 0;
        }
        int page = pageCount - 1;
        System.arraycopy(b, 0, pages[page], pageUsed, n);
        int id = size++;
        int block = id >>> BLOCK_BITS;
        if (block == location.length) {
            location = Arrays.copyOf(location, block * 2);
            length = Arrays.copyOf(length, block * 2);
            partition = Arrays.copyOf(partition, block * 2);
            rows = Arrays.copyOf(rows, block * 2);
        }
        if (location[block] == null) {
            location[block] = new long[BLOCK];
            length[block] = new int[BLOCK];
            partition[block] = new int[BLOCK];
            rows[block] = new int[BLOCK];
        }
        int at = id & (BLOCK - 1);
        location[block][at] = (long) page << 32 | pageUsed;
        length[block][at] = n;
        partition[block][at] = Partitioning.ofParts(parts, partitions);
        pageUsed += n;
        return id;
    }

    private void grow(int s) {
        long[] old = tables[s];
        long[] table = new long[old.length * 2];
        int mask = table.length - 1;
        for (long slot : old) {
            if (slot != 0) {
                int i = (int) (slot >>> 32) & mask;
                while (table[i] != 0) {
                    i = (i + 1) & mask;
                }
                table[i] = slot;
            }
        }
        tables[s] = table;
    }
}
