package dev.chunkflow.pipeline.process;

/**
 * A workload failed on a whole chunk (creating its processor, finishing it, writing a part, or counts
 * that do not add up). Nothing of the chunk is published; the Map fails, so the run never writes
 * {@code _SUCCESS}. The message names the job, chunk, workload and exception class, never a field value.
 */
public class WorkloadFailed extends RuntimeException {
    public WorkloadFailed(String message) {
        super(message);
    }
}
