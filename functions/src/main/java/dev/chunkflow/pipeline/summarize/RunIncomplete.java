package dev.chunkflow.pipeline.summarize;

/**
 * Summarize found the run incomplete or inconsistent (a chunk result missing, a result outside the
 * manifest, counts that do not add up); no {@code _SUCCESS} is written. The class name is the Step
 * Functions error name.
 */
public class RunIncomplete extends RuntimeException {
    public RunIncomplete(String message) {
        super(message);
    }
}
