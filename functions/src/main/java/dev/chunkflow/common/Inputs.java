package dev.chunkflow.common;

import com.fasterxml.jackson.databind.JsonNode;


/** Reading task inputs strictly: wrong types and ranges are {@link InvalidInput} naming the field. */
public final class Inputs {
    private Inputs() {
    }

    public static JsonNode requireObject(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput(field, "must be a JSON object");
        }
        return node;
    }

    public static String requiredText(JsonNode parent, String name, String field) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            throw new InvalidInput(field, "required");
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInput(field, "must be a non-empty string");
        }
        return v.asText();
    }

    public static String optionalText(JsonNode parent, String name, String field) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual() || v.asText().isBlank()) {
            throw new InvalidInput(field, "must be a non-empty string");
        }
        return v.asText();
    }

    /** An optional integer in [min, max]; {@code absent} when missing or null. */
    public static long optionalLong(JsonNode parent, String name, String field, long min, long max, long absent) {
        JsonNode v = parent.get(name);
        if (v == null || v.isNull()) {
            return absent;
        }
        return integer(v, field, min, max);
    }

    public static long integer(JsonNode v, String field, long min, long max) {
        if (v == null || !v.isIntegralNumber() || !v.canConvertToLong()) {
            throw new InvalidInput(field, "must be an integer between " + min + " and " + max);
        }
        long n = v.asLong();
        if (n < min || n > max) {
            throw new InvalidInput(field, "must be an integer between " + min + " and " + max + ", got " + n);
        }
        return n;
    }

    /** An S3 key prefix: no leading slash, no "." or ".." segment, no NUL, at most 1,024 characters. */
    public static String requirePrefix(String prefix, String field) {
        if (prefix.startsWith("/")) {
            throw new InvalidInput(field, "must not start with '/' (S3 keys have no leading slash)");
        }
        for (String segment : prefix.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidInput(field, "must not have a '.' or '..' segment (S3 keys are not paths)");
            }
        }
        if (prefix.length() > 1024 || prefix.indexOf('\0') >= 0) {
            throw new InvalidInput(field, "must be at most 1024 characters without NUL");
        }
        return prefix;
    }

    /** A bucket name as S3 allows it (3-63 of a-z 0-9 . -). */
    public static String requireBucket(String bucket, String field) {
        if (bucket != null && !bucket.matches("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")) {
            throw new InvalidInput(field, "is not a valid S3 bucket name");
        }
        return bucket;
    }
}
