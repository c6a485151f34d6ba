package dev.chunkflow.pipeline.plan;

import java.util.Arrays;

/**
 * Open-addressing map from non-negative long to int: 12 bytes a slot, at most 60% full (20 to 40 bytes
 * per entry), no boxing. The table is split into {@link #SEGMENTS} segments chosen by the top bits of the
 * key's hash, each growing on its own: a growth step copies one segment (1/64 of the map), so the map
 * never needs 1.5x its size at once, nor one array as big as the whole map.
 */
final class LongIntMap {
    private static final long EMPTY = -1;
    private static final int SEGMENT_BITS = 6;
    static final int SEGMENTS = 1 << SEGMENT_BITS;

    private final Segment[] segments = new Segment[SEGMENTS];

    LongIntMap(int expected) {
        int perSegment = Math.max(1, expected / SEGMENTS);
        for (int s = 0; s < SEGMENTS; s++) {
            segments[s] = new Segment(perSegment);
        }
    }

    private static long hash(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 32);
    }

    private Segment segment(long h) {
        return segments[(int) (h >>> (64 - SEGMENT_BITS))];
    }

    /** Adds {@code delta} to the value of {@code key} (0 when absent). */
    void add(long key, int delta) {
        long h = hash(key);
        segment(h).add(key, (int) h, delta);
    }

    /** The value, or {@code missing} when absent. */
    int get(long key, int missing) {
        long h = hash(key);
        return segment(h).get(key, (int) h, missing);
    }

    int size() {
        int n = 0;
        for (Segment s : segments) {
            n += s.size;
        }
        return n;
    }

    interface EntryConsumer {
        void accept(long key, int value);
    }

    void forEach(EntryConsumer c) {
        for (Segment s : segments) {
            s.forEach(c);
        }
    }

    private static final class Segment {
        private long[] keys;
        private int[] values;
        private int size;
        private int mask;

        Segment(int expected) {
            int cap = Integer.highestOneBit(Math.max(16, (int) Math.min(1 << 30, expected * 2L)) - 1) << 1;
            keys = new long[cap];
            Arrays.fill(keys, EMPTY);
            values = new int[cap];
            mask = cap - 1;
        }

        void add(long key, int h, int delta) {
            int i = h & mask;
            while (true) {
                long k = keys[i];
                if (k == key) {
                    values[i] += delta;
                    return;
                }
                if (k == EMPTY) {
                    keys[i] = key;
                    values[i] = delta;
                    if (++size * 10L > keys.length * 6L) {
                        grow();
                    }
                    return;
                }
                i = (i + 1) & mask;
            }
        }

        int get(long key, int h, int missing) {
            int i = h & mask;
            while (true) {
                long k = keys[i];
                if (k == key) {
                    return values[i];
                }
                if (k == EMPTY) {
                    return missing;
                }
                i = (i + 1) & mask;
            }
        }

        void forEach(EntryConsumer c) {
            for (int i = 0; i < keys.length; i++) {
                if (keys[i] != EMPTY) {
                    c.accept(keys[i], values[i]);
                }
            }
        }

        private void grow() {
            long[] oldKeys = keys;
            int[] oldValues = values;
            keys = new long[oldKeys.length * 2];
            Arrays.fill(keys, EMPTY);
            values = new int[oldKeys.length * 2];
            mask = keys.length - 1;
            size = 0;
            for (int i = 0; i < oldKeys.length; i++) {
                if (oldKeys[i] != EMPTY) {
                    add(oldKeys[i], (int) hash(oldKeys[i]), oldValues[i]);
                }
            }
        }
    }
}
