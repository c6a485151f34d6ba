package dev.chunkflow.local.asl;

/**
 * Progress hooks, called from the engine's worker threads (implementations must be thread-safe and
 * quick). All methods default to doing nothing.
 */
public interface ExecutionListener {
    ExecutionListener NONE = new ExecutionListener() {
    };

    /** Every history event of the execution and of its Distributed Map children. */
    default void onEvent(String executionName, HistoryEvent event) {
    }

    /** A Map iteration (inline) or child execution (distributed) finished. */
    default void onMapProgress(String mapState, int completed, int failed, int total) {
    }

    default void onLimitViolation(LimitViolation violation) {
    }
}
