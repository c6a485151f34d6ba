package dev.chunkflow.pipeline.process;

import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * {@code runs/{job_id}/results/{chunk_id}.json}: what one chunk produced. Written after the chunk's
 * outputs, with {@code If-None-Match: *}: its existence is the chunk's commit point. Contains counts
 * and object keys only (deterministic: no timings).
 */
public record ChunkResult(
        @JsonProperty("job_id") String jobId,
        @JsonProperty("chunk_id") int chunkId,
        @JsonProperty("workload") String workload,
        @JsonProperty("keys") long keys,
        @JsonProperty("rows") RowCounts rows,
        @JsonProperty("counters") Map<String, Long> counters,
        @JsonProperty("reject_reasons") Map<String, Long> rejectReasons,
        @JsonProperty("parts") Map<String, PartFile> parts) {

    /** One output object of the chunk. */
    public record PartFile(@JsonProperty("key") String key, @JsonProperty("bytes") long bytes) {
    }

    public long outputBytes() {
        return parts.values().stream().mapToLong(PartFile::bytes).sum();
    }
}
