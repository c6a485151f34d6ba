package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One execution's event history, counted event by event as AWS emits them. A Standard execution
 * may not exceed {@link Limits#historyEvents()}: the event that would reach it is replaced by the
 * execution's failure (States.Runtime), which becomes the last event.
 */
final class History {
    static final String LIMIT_CAUSE_FORMAT = "The execution reached the maximum number of history events (%d).";
    private static final Set<String> TERMINAL = Set.of("ExecutionSucceeded", "ExecutionFailed", "ExecutionAborted", "ExecutionTimedOut");

    private final String execution;
    private final boolean limited;
    private final int max;
    private final boolean keepDetails;
    private final ExecutionEnv env;
    private final List<HistoryEvent> events = new ArrayList<>();
    private int count;
    private boolean overflowed;

    /** @param priorEvents events of earlier attempts (a redrive continues the history and its limit) */
    History(String execution, boolean standard, boolean keepDetails, ExecutionEnv env, int priorEvents) {
        this.count = priorEvents;
        this.execution = execution;
        this.env = env;
        this.limited = standard;
        this.max = env.limits().historyEvents();
        this.keepDetails = keepDetails;
    }

    /**
     * Appends an event and returns its id.
     *
     * @throws StatesFailure States.Runtime when the history limit is reached (Standard executions)
     */
    long add(String type, long previousEventId, Consumer<ObjectNode> details) {
        HistoryEvent e;
        synchronized (this) {
            boolean terminal = TERMINAL.contains(type);
            if (limited && !terminal && count + 1 >= max) {
                if (env.limits().enforceHistory()) {
                    if (!overflowed) {
                        overflowed = true;
                        env.stats().violation(new LimitViolation("HISTORY_EVENTS", execution, null, max, max, true));
                    }
                    throw limitFailure();
                }
                if (count + 1 == max) {
                    env.stats().violation(new LimitViolation("HISTORY_EVENTS", execution, null, max, max, false));
                }
            }
            ObjectNode d = null;
            if (keepDetails && details != null) {
                d = AslJson.NODES.objectNode();
                details.accept(d);
            }
            count++;
            e = new HistoryEvent(count, previousEventId, env.time().now(), type, d);
            if (keepDetails) {
                events.add(e);
            }
        }
        env.listener().onEvent(execution, e);
        return e.id();
    }

    StatesFailure limitFailure() {
        return StatesFailure.withFinalCause(StatesFailure.RUNTIME, String.format(LIMIT_CAUSE_FORMAT, max));
    }

    synchronized int count() {
        return count;
    }

    synchronized List<HistoryEvent> events() {
        return List.copyOf(events);
    }
}
