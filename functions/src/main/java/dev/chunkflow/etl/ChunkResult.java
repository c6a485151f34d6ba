package dev.chunkflow.etl;

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
        @JsonProperty("keys") long keys,
        @JsonProperty("rows_in") long rowsIn,
        @JsonProperty("rows_out") long rowsOut,
        @JsonProperty("rows_rejected") long rowsRejected,
        @JsonProperty("duplicates_dropped") long duplicatesDropped,
        @JsonProperty("daily_rows") long dailyRows,
        @JsonProperty("reject_reasons") Map<String, Long> rejectReasons,
        @JsonProperty("visits_key") String visitsKey,
        @JsonProperty("daily_key") String dailyKey,
        @JsonProperty("rejects_key") String rejectsKey,
        @JsonProperty("visits_bytes") long visitsBytes,
        @JsonProperty("daily_bytes") long dailyBytes,
        @JsonProperty("rejects_bytes") long rejectsBytes) {

    /** {@code rows_in = rows_out + rows_rejected + duplicates_dropped}. */
    public boolean conserved() {
        return rowsIn == rowsOut + rowsRejected + duplicatesDropped;
    }
}
