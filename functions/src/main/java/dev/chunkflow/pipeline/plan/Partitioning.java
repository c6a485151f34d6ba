package dev.chunkflow.pipeline.plan;

/** Which scratch partition a key's rows go to: a fixed hash, so the same data plans the same way. */
final class Partitioning {
    private Partitioning() {
    }

    static int of(long code, int partitions) {
        long h = code * 0x9E3779B97F4A7C15L;
        return (int) Long.remainderUnsigned(h ^ (h >>> 29), partitions);
    }

    static int of(Key key, int partitions) {
        return of(key.planHash() & 0xffffffffL, partitions);
    }
}
