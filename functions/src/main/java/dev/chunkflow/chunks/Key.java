package dev.chunkflow.chunks;

import java.util.Arrays;

/**
 * A grouping key's values (one string per key part) as a map key. The hash is fixed by this class (not
 * by the JDK): it picks the key's planning partition, and a plan must be the same on every run.
 */
public final class Key {
    private final String[] parts;
    private final int hash;

    public Key(String[] parts) {
        this.parts = parts;
        int h = 0;
        for (String p : parts) {
            h = 31 * h + p.hashCode();
        }
        this.hash = h;
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
