package dev.chunkflow.workload;

/**
 * Optional fast path for planning: packs a well-formed key into one non-negative {@code long}, so the
 * planner's index of millions of keys is primitive arrays rather than objects. Keys it cannot pack
 * ({@link #NONE}) take the general path. Contract: codes order exactly as the key's comparator orders
 * the keys they pack, and {@link #decode} gives back the parts that were encoded.
 */
public interface KeyEncoder {
    long NONE = -1;

    /** The code of {@code parts} (one string per key part), or {@link #NONE}. */
    long encode(String[] parts);

    /** The parts of a code returned by {@link #encode}. */
    String[] decode(long code);
}
