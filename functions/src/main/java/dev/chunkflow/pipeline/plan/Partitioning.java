package dev.chunkflow.pipeline.plan;

/** Which scratch partition a key's rows go to: a fixed hash, so the same data plans the same way. */
final class Partitioning {
    private Partitioning() {
    }

    static int of(long code, int partitions) {
        long h = code * 0x9E3779B97F4A7C15L;
        return (int) Long.remainderUnsigned(h ^ (h >>> 29), partitions);
    }

    /** A key without a code: the 31-fold of its parts' String hashes (fixed by the JDK's specification of String.hashCode). */
    static int ofParts(String[] parts, int partitions) {
        int fold = 0;
        for (String p : parts) {
            fold = 31 * fold + p.hashCode();
        }
        return of(fold & 0xffffffffL, partitions);
    }
}
