package dev.chunkflow.offload;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * What an offloaded attribute holds in the item instead of its value:
 * {@code {type:"s3_reference", bucket, key, size, sha256, content_type, original_type, uploaded_at}}.
 * {@code size} and {@code sha256} are those of the uncompressed JSON document (the object itself is
 * stored gzip with {@code Content-Encoding: gzip}); {@code original_type} is the DynamoDB type of the
 * value that was offloaded (M, L, S, N, ...).
 */
public record S3Reference(String bucket, String key, long size, String sha256, String contentType,
                          String originalType, String uploadedAt) {
    public static final String TYPE = "s3_reference";

    public AttributeValue toAttribute() {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        m.put("type", AttributeValue.fromS(TYPE));
        m.put("bucket", AttributeValue.fromS(bucket));
        m.put("key", AttributeValue.fromS(key));
        m.put("size", AttributeValue.fromN(Long.toString(size)));
        m.put("sha256", AttributeValue.fromS(sha256));
        m.put("content_type", AttributeValue.fromS(contentType));
        m.put("original_type", AttributeValue.fromS(originalType));
        m.put("uploaded_at", AttributeValue.fromS(uploadedAt));
        return AttributeValue.fromM(m);
    }

    /** True for a map that claims to be a reference (so user input can be refused before it spoofs one). */
    public static boolean looksLikeReference(Object value) {
        return value instanceof Map<?, ?> m && TYPE.equals(m.get("type"));
    }

    public static Optional<S3Reference> from(AttributeValue v) {
        if (v == null || v.type() != AttributeValue.Type.M) {
            return Optional.empty();
        }
        Map<String, AttributeValue> m = v.m();
        if (!TYPE.equals(s(m, "type")) || s(m, "bucket") == null || s(m, "key") == null) {
            return Optional.empty();
        }
        AttributeValue size = m.get("size");
        return Optional.of(new S3Reference(s(m, "bucket"), s(m, "key"),
                size != null && size.n() != null ? Long.parseLong(size.n()) : -1,
                s(m, "sha256"), s(m, "content_type"), s(m, "original_type"), s(m, "uploaded_at")));
    }

    private static String s(Map<String, AttributeValue> m, String name) {
        AttributeValue v = m.get(name);
        return v == null ? null : v.s();
    }
}
