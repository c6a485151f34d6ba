package dev.chunkflow.pipeline.plan;

import java.util.Arrays;

/**
 * A grouping key's values (one string per key part) as a map key. Two hashes, both fixed by this class
 * (not by the JDK): {@link #planHash()} picks the key's planning partition (a plan must be the same on
 * every run; it is the 31-fold of the part hashes, which visits' malformed keys have always used), and
 * {@link #hashCode()} mixes the parts so that structured values (dates, SSNs, whose String hashes differ
 * by small multiples of 31) do not collide in hash maps as the 31-fold does.
 */
public final class Key {
    private final String[] parts;
    private final int planHash;
    private final int hash;

    public Key(String[] parts) {
        this.parts = parts;
        int fold = 0;
        int mixed = 0x2545F491;
        for (String p : parts) {
            int h = p.hashCode();
            fold = 31 * fold + h;
            mixed = (mixed ^ h) * 0x9E3779B1;
            mixed ^= mixed >>> 15;
        }
        this.planHash = fold;
        this.hash = mixed;
    }

    public String[] parts() {
        return parts;
    }

    /** The hash that chooses the planning partition. */
    int planHash() {
        return planHash;
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
