package dev.chunkflow.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.chunks.GetChunksService;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.etl.ProcessChunkHandler;
import dev.chunkflow.runs.Inputs;
import dev.chunkflow.runs.RunLayout;

/**
 * {@code POST /jobs} body, validated strictly (unknown fields are errors: a typo must not silently run
 * a job with defaults). {@code jobId} is null when the caller left it to the service.
 */
public record StartJobRequest(String jobId, String bucket, String prefix, Long targetRowsPerChunk, Long maxConcurrency,
                              Double toleratedFailurePercentage, Long batchSize) {

    private static final Set<String> FIELDS = Set.of("job_id", "source", "target_rows_per_chunk", "max_concurrency",
            "tolerated_failure_percentage", "batch_size");
    private static final Set<String> SOURCE_FIELDS = Set.of("bucket", "prefix");
    /** With the template's default bound on max_concurrency. */
    public static StartJobRequest parse(String body) {
        return parse(body, dev.chunkflow.settings.Settings.PROCESS_CHUNK_RESERVED_CONCURRENCY.defaultValue());
    }

    /** @param maxConcurrency the largest max_concurrency accepted: ProcessChunk's reserved concurrency */
    public static StartJobRequest parse(String body, long maxConcurrency) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput("$", "request body is required (JSON object)");
        }
        JsonNode in = Json.readTree(body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        if (in == null || !in.isObject()) {
            throw new InvalidInput("$", "must be a JSON object");
        }
        unknown(in, FIELDS, "");
        String jobId = Inputs.optionalText(in, "job_id", "job_id");
        if (jobId != null) {
            RunLayout.requireJobId(jobId);
        }
        JsonNode source = in.get("source");
        if (source == null || source.isNull()) {
            throw new InvalidInput("source", "required ({\"prefix\": \"input/...\", \"bucket\"?: ...})");
        }
        Inputs.requireObject(source, "source");
        unknown(source, SOURCE_FIELDS, "source.");
        String bucket = Inputs.requireBucket(Inputs.optionalText(source, "bucket", "source.bucket"), "source.bucket");
        String prefix = Inputs.requirePrefix(Inputs.requiredText(source, "prefix", "source.prefix"), "source.prefix");
        Long target = optional(in, "target_rows_per_chunk", 1, GetChunksService.Settings.MAX_TARGET_ROWS);
        Long concurrency = optional(in, "max_concurrency", 1, maxConcurrency);
        Long batch = optional(in, "batch_size", 1, ProcessChunkHandler.MAX_BATCH);
        Double tolerated = null;
        JsonNode t = in.get("tolerated_failure_percentage");
        if (t != null && !t.isNull()) {
            if (!t.isNumber() || t.asDouble() < 0 || t.asDouble() > 100) {
                throw new InvalidInput("tolerated_failure_percentage", "must be a number between 0 and 100");
            }
            tolerated = t.asDouble();
        }
        return new StartJobRequest(jobId, bucket, prefix, target, concurrency, tolerated, batch);
    }

    private static Long optional(JsonNode in, String name, long min, long max) {
        JsonNode v = in.get(name);
        return v == null || v.isNull() ? null : Inputs.integer(v, name, min, max);
    }

    private static void unknown(JsonNode node, Set<String> allowed, String path) {
        for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!allowed.contains(f)) {
                throw new InvalidInput(path + f, "unknown field (allowed: " + String.join(", ", new java.util.TreeSet<>(allowed)) + ")");
            }
        }
    }

    public StartJobRequest withJobId(String id) {
        return new StartJobRequest(id, bucket, prefix, targetRowsPerChunk, maxConcurrency, toleratedFailurePercentage, batchSize);
    }

    /** The execution input (events/start-execution.json shape); only what the caller set, the ASL fills defaults. */
    public Map<String, Object> executionInput() {
        Map<String, Object> source = new LinkedHashMap<>();
        if (bucket != null) {
            source.put("bucket", bucket);
        }
        source.put("prefix", prefix);
        Map<String, Object> input = new LinkedHashMap<>();
        input.put("job_id", jobId);
        input.put("source", source);
        if (targetRowsPerChunk != null) {
            input.put("target_rows_per_chunk", targetRowsPerChunk);
        }
        if (maxConcurrency != null) {
            input.put("max_concurrency", maxConcurrency);
        }
        if (toleratedFailurePercentage != null) {
            input.put("tolerated_failure_percentage", toleratedFailurePercentage);
        }
        if (batchSize != null) {
            input.put("batch_size", batchSize);
        }
        return input;
    }
}
