package dev.chunkflow.pipeline.plan;

import java.util.Arrays;

/**
 * A grouping key's values (one string per key part) as a map key, for ProcessChunk's check of a chunk's
 * rows against its key set. The hash mixes the parts so that structured values (dates, SSNs, whose
 * String hashes differ by small multiples of 31) do not collide in hash maps as a 31-fold does.
 */
public final class Key {
    private final String[] parts;
    private final int hash;

    public Key(String[] parts) {
        this.parts = parts;
        int mixed = 0x2545F491;
        for (String p : parts) {
            mixed = (mixed ^ p.hashCode()) * 0x9E3779B1;
            mixed ^= mixed >>> 15;
        }
        this.hash = mixed;
    }

    public String[] parts() {
        return parts;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Key k && k.hash == hash && Arrays.equals(k.parts, parts);
    }

    @Override
    public String toString() {
        return "key of " + parts.length + " part(s)"; // values may be personal data: never printed
    }
}
