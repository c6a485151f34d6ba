package dev.chunkflow.jobs;

import java.util.Map;

import dev.chunkflow.aws.AwsClients;

/**
 * The job records in DynamoDB, with the S3 offload rule. (Contract for the pipeline handlers; the
 * implementation lands with the job-store issue.)
 */
public final class JobStore {

    /** From JOBS_TABLE, DATA_BUCKET, OFFLOAD_THRESHOLD_BYTES in {@code clients.env()}. */
    public static JobStore fromEnv(AwsClients clients) {
        throw new IllegalStateException("job store not built yet");
    }

    /** Creates the job as QUEUED if it does not exist; returns true when this call created it. */
    public boolean createIfAbsent(String jobId, Map<String, Object> fields) {
        throw new IllegalStateException("job store not built yet");
    }

    /** Atomic ADD of counters (safe from many parallel workers; no version check needed). */
    public void addCounters(String jobId, Map<String, Long> deltas) {
        throw new IllegalStateException("job store not built yet");
    }

    /** Applies one update with the offload rule and optimistic concurrency; never loses an update. */
    public UpdateResult update(JobUpdate update) {
        throw new IllegalStateException("job store not built yet");
    }

    /** What an update returns: small, for a Step Functions task result. */
    public record UpdateResult(String jobId, long version, String status, String executionStepsLocation, long itemBytes) {
    }
}
