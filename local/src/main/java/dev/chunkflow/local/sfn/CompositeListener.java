package dev.chunkflow.local.sfn;

import java.util.List;

import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.asl.HistoryEvent;
import dev.chunkflow.local.asl.LimitViolation;

/** Several listeners on one engine (e.g. the run's own counters and the execution recorder). */
public final class CompositeListener implements ExecutionListener {
    private final List<ExecutionListener> listeners;

    private CompositeListener(List<ExecutionListener> listeners) {
        this.listeners = listeners;
    }

    public static ExecutionListener of(ExecutionListener... listeners) {
        return new CompositeListener(List.of(listeners));
    }

    @Override
    public void onEvent(String executionName, HistoryEvent event) {
        listeners.forEach(l -> l.onEvent(executionName, event));
    }

    @Override
    public void onMapProgress(String mapState, int completed, int failed, int total) {
        listeners.forEach(l -> l.onMapProgress(mapState, completed, failed, total));
    }

    @Override
    public void onLimitViolation(LimitViolation violation) {
        listeners.forEach(l -> l.onLimitViolation(violation));
    }
}
