package dev.chunkflow.pipeline.plan;

/**
 * A fan-out step found the shuffle disagreeing with itself: a split or partition result missing or not
 * one chunkflow wrote, or rows that do not add up (read by the splits vs found in the partitions vs
 * planned into chunks). Nothing is planned from such a shuffle; redrive re-runs the steps after the
 * one that failed. The message names the object and the counts, never a key or a row.
 */
public class ShuffleIncomplete extends RuntimeException {
    public ShuffleIncomplete(String message) {
        super(message);
    }
}
