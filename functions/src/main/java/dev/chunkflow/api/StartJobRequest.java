package dev.chunkflow.api;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.pipeline.runs.SourceSpec;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import dev.chunkflow.jobs.JobId;

/**
 * {@code POST /jobs} body, validated strictly (unknown fields are errors: a typo must not silently run
 * a job with defaults). {@code jobId} is null when the caller left it to the service.
 */
public record StartJobRequest(String jobId, String bucket, String prefix, Long targetRowsPerChunk, Long maxConcurrency,
                              Double toleratedFailurePercentage, Long batchSize, String workload) {

    private static final com.fasterxml.jackson.databind.ObjectReader STRICT =
            Json.MAPPER.reader().with(com.fasterxml.jackson.core.StreamReadFeature.STRICT_DUPLICATE_DETECTION);
    private static final Set<String> FIELDS = Set.of("job_id", "source", "target_rows_per_chunk", "max_concurrency",
            "tolerated_failure_percentage", "batch_size", "workload");

    /** With the template's default bound on max_concurrency and the workloads on the class path. */
    public static StartJobRequest parse(String body) {
        return parse(body, dev.chunkflow.settings.Settings.PROCESS_CHUNK_RESERVED_CONCURRENCY.defaultValue());
    }

    /** @param maxConcurrency the largest max_concurrency accepted: ProcessChunk's reserved concurrency */
    public static StartJobRequest parse(String body, long maxConcurrency) {
        return parse(body, maxConcurrency, Workloads.installed());
    }

    /** {@code workload}, when given, must be one of {@code workloads} (the state machine applies the default). */
    public static StartJobRequest parse(String body, long maxConcurrency, Workloads workloads) {
        if (body == null || body.isBlank()) {
            throw new InvalidInput("$", "request body is required (JSON object)");
        }
        // A field given twice is refused: parsers (a WAF, a proxy, this one) disagree on which copy counts.
        JsonNode in = Json.readInput(STRICT, new java.io.ByteArrayInputStream(body.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        if (in == null || !in.isObject()) {
            throw new InvalidInput("$", "must be a JSON object");
        }
        unknown(in, FIELDS, "");
        String jobId = Inputs.optionalText(in, "job_id", "job_id");
        if (jobId != null) {
            JobId.require(jobId);
        }
        SourceSpec source = SourceSpec.parse(in.get("source"));
        String workload = Inputs.optionalText(in, "workload", "workload");
        if (workload != null) {
            WorkloadNames.require(workloads, workload, "workload");
        }
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
        return new StartJobRequest(jobId, source.bucket(), source.prefix(), target, concurrency, tolerated, batch, workload);
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
        return new StartJobRequest(id, bucket, prefix, targetRowsPerChunk, maxConcurrency, toleratedFailurePercentage, batchSize,
                workload);
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
        if (workload != null) {
            input.put("workload", workload);
        }
        return input;
    }
}
