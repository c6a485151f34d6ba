package dev.chunkflow.jobs;

/**
 * An update that lost the optimistic-concurrency race on every one of its bounded attempts. Nothing was
 * written; the caller (a Step Functions Retry, typically) may try again.
 */
public class ConcurrentUpdateException extends RuntimeException {
    public ConcurrentUpdateException(String jobId, int attempts) {
        super("job " + jobId + ": update lost the version race " + attempts + " times in a row; nothing was written");
    }
}
