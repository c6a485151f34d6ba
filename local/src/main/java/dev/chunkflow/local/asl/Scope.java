package dev.chunkflow.local.asl;

import java.time.Duration;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A thread of control inside an execution (the top level, a Parallel branch, a Map iteration):
 * tracks the previous event id and whether the enclosing Parallel/Map group was cancelled because
 * a sibling failed.
 */
final class Scope {
    /** Thrown to unwind an iteration or branch whose group was cancelled. */
    static final class Aborted extends RuntimeException {
        Aborted() {
            super("aborted", null, false, false);
        }
    }

    final Execution ex;
    /** The variables this thread of control reads and assigns. */
    final Variables variables;
    private final Scope parent;
    private volatile boolean cancelled;
    long lastEventId;

    Scope(Execution ex, Scope parent, long lastEventId, Variables variables) {
        this.ex = ex;
        this.parent = parent;
        this.lastEventId = lastEventId;
        this.variables = variables;
    }

    /** A scope sharing this one's variables (the group of a Parallel or Map). */
    Scope child() {
        return new Scope(ex, this, lastEventId, variables);
    }

    /** A Parallel branch or Map iteration: its own variables over this scope's. */
    Scope innerScope() {
        return new Scope(ex, this, lastEventId, variables.child());
    }

    void cancel() {
        cancelled = true;
    }

    boolean isCancelled() {
        return cancelled || (parent != null && parent.isCancelled());
    }

    void checkCancelled() {
        if (isCancelled()) {
            throw new Aborted();
        }
    }

    long event(String type, Consumer<ObjectNode> details) {
        lastEventId = ex.history.add(type, lastEventId, details);
        return lastEventId;
    }

    /** Sleeps on the engine's clock; a real sleep wakes up early when the scope is cancelled. */
    void sleep(Duration d) {
        Duration left = ex.remaining();
        if (left != null && d.compareTo(left) >= 0) {
            sleepOnClock(left.isNegative() ? Duration.ZERO : left);
            throw ex.timedOut(); // a Retry or Wait that would outlive the execution ends it at its deadline
        }
        sleepOnClock(d);
    }

    private void sleepOnClock(Duration d) {
        TimeSource time = ex.env.time();
        try {
            if (time instanceof TimeSource.Virtual) {
                time.sleep(d);
                return;
            }
            long end = System.nanoTime() + d.toNanos();
            while (true) {
                checkCancelled();
                long left = end - System.nanoTime();
                if (left <= 0) {
                    return;
                }
                time.sleep(Duration.ofNanos(Math.min(left, 100_000_000L)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new Aborted();
        }
    }
}
