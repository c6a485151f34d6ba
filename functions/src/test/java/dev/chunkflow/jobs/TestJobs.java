package dev.chunkflow.jobs;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.zip.GZIPInputStream;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.Json;
import dev.chunkflow.offload.JsonValues;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/** Shared helpers for the job store tests: unique ids, steps of a given size, raw item and object access. */
final class TestJobs {
    private TestJobs() {
    }

    static String newJobId(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static JobStore store(EmbeddedAws aws) {
        return JobStore.fromEnv(aws.clients());
    }

    static JobStore store(EmbeddedAws aws, long threshold) {
        return JobStore.fromEnv(new AwsClients(aws.env().with("OFFLOAD_THRESHOLD_BYTES", Long.toString(threshold))));
    }

    static Map<String, Object> step(String name, int outputChars) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("name", name);
        s.put("status", "SUCCEEDED");
        s.put("started_at", "2026-01-01T00:00:00Z");
        s.put("ended_at", "2026-01-01T00:00:01Z");
        s.put("duration_ms", 1000);
        s.put("rows", 42);
        s.put("output", "o".repeat(outputChars));
        return s;
    }

    /** {@code count} steps whose serialized output totals about {@code totalBytes}. */
    static List<Map<String, Object>> steps(String prefix, int count, int totalBytes) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            out.add(step(prefix + i, totalBytes / count));
        }
        return out;
    }

    static Map<String, AttributeValue> rawItem(EmbeddedAws aws, String jobId) {
        return aws.dynamoDb().getItem(b -> b.tableName(aws.table()).consistentRead(true)
                .key(Map.of("job_id", AttributeValue.fromS(jobId)))).item();
    }

    static Optional<byte[]> objectBytes(EmbeddedAws aws, String key) {
        try {
            return Optional.of(aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asByteArray());
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    static byte[] gunzip(byte[] gz) {
        try (GZIPInputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(gz))) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @SuppressWarnings("unchecked")
    static List<Object> stepsInObject(EmbeddedAws aws, String key) {
        byte[] gz = objectBytes(aws, key).orElseThrow(() -> new AssertionError("no object " + key));
        return (List<Object>) JsonValues.parse(gunzip(gz));
    }

    static List<String> keysUnder(EmbeddedAws aws, String prefix) {
        List<String> keys = new ArrayList<>();
        aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(prefix))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    static String json(Object o) {
        return new String(Json.bytes(o), StandardCharsets.UTF_8);
    }
}
