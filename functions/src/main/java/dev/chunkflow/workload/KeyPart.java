package dev.chunkflow.workload;

/**
 * One field of a grouping key: a CSV column name, or a JSON Lines dot path ({@code user.id}), and how it
 * orders. A record without the field has the empty string there (it still gets a key and a chunk).
 */
public record KeyPart(String field, KeyType type) {
    public KeyPart {
        if (field == null || field.isBlank()) {
            throw new IllegalArgumentException("a key part needs a field");
        }
    }

    public static KeyPart string(String field) {
        return new KeyPart(field, KeyType.STRING);
    }

    public static KeyPart number(String field) {
        return new KeyPart(field, KeyType.NUMBER);
    }

    public static KeyPart date(String field) {
        return new KeyPart(field, KeyType.DATE);
    }
}
