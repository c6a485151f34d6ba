package dev.chunkflow.pipeline.plan;

/**
 * Packs sorted keys into contiguous, balanced chunks; a key is never split. With {@code T} rows and a
 * target of {@code t} rows per chunk there are {@code n = ceil(T / t)} equal slots of {@code T / n}
 * rows; each key goes to the slot holding the middle of its rows. Slots left empty (next to a key
 * bigger than a slot) are dropped, so the result has at most {@code n} chunks, each within one key's
 * size of {@code T / n <= t} rows: balanced without ever splitting a key.
 */
public final class ChunkPlanner {
    private ChunkPlanner() {
    }

    /**
     * @param rowsPerKey rows of each key, in key order (every entry at least 1)
     * @return the chunk number (0-based, contiguous, non-decreasing) of each key
     */
    public static int[] assign(int[] rowsPerKey, long targetRows) {
        if (targetRows < 1) {
            throw new IllegalArgumentException("targetRows must be at least 1");
        }
        int[] chunkOf = new int[rowsPerKey.length];
        long total = 0;
        for (int r : rowsPerKey) {
            total += r;
        }
        if (total == 0) {
            return chunkOf;
        }
        long slots = (total + targetRows - 1) / targetRows;
        long before = 0;
        long lastSlot = -1;
        int chunk = -1;
        for (int i = 0; i < rowsPerKey.length; i++) {
            long slot = Math.min(slots - 1, middleSlot(before, rowsPerKey[i], slots, total));
            if (slot != lastSlot) {
                chunk++;
                lastSlot = slot;
            }
            chunkOf[i] = chunk;
            before += rowsPerKey[i];
        }
        return chunkOf;
    }

    /** floor((2*before + rows) * slots / (2*total)) without overflow for any realistic size. */
    static long middleSlot(long before, long rows, long slots, long total) {
        long mid2 = 2 * before + rows;
        long high = Math.multiplyHigh(mid2, slots);
        if (high == 0 && mid2 * slots >= 0) {
            return (mid2 * slots) / (2 * total);
        }
        return java.math.BigInteger.valueOf(mid2).multiply(java.math.BigInteger.valueOf(slots))
                .divide(java.math.BigInteger.valueOf(2 * total)).longValueExact();
    }
}
