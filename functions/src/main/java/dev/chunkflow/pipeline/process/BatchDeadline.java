package dev.chunkflow.pipeline.process;

import java.time.Duration;
import java.time.Instant;

/**
 * When a ProcessChunk batch stops taking chunks. A Distributed Map child is an EXPRESS execution, which
 * Step Functions ends at 5 minutes (States.Timeout, and with it every chunk of the batch); the Lambda
 * invocation itself ends at the function's Timeout. A batch takes another chunk only while the longest
 * chunk so far would still finish before its soft deadline (the child's start plus the batch budget, and
 * no later than the invocation's end minus a margin for its answer). It takes its first chunk whenever
 * the hard deadline (the child's start plus {@link #CHILD_LIMIT}) lies ahead, so every invocation early
 * in a child makes progress, and a retry late in the child answers at once. The chunks it does not take
 * are answered as unprocessed; the parent processes them in another pass.
 */
record BatchDeadline(Instant soft, Instant hard) {
    /** What a batch may use of an EXPRESS child's 300 seconds; the rest is for a chunk in flight and the child's states. */
    static final Duration CHILD_LIMIT = Duration.ofSeconds(240);
    /** Kept back from the invocation's remaining time: the answer and the last result write. */
    static final Duration INVOCATION_MARGIN = Duration.ofSeconds(10);

    /**
     * @param remaining    the invocation's remaining time (Lambda's context), null when unknown
     * @param childStarted the EXPRESS child's start ($$.Execution.StartTime), null when unknown
     * @param budget       the batch budget (at most {@link #CHILD_LIMIT})
     */
    static BatchDeadline of(Instant now, Duration remaining, Instant childStarted, Duration budget) {
        Instant invocationEnd = remaining == null ? Instant.MAX : now.plus(remaining).minus(INVOCATION_MARGIN);
        if (childStarted == null) {
            return new BatchDeadline(invocationEnd, invocationEnd);
        }
        Duration soft = budget.compareTo(CHILD_LIMIT) < 0 ? budget : CHILD_LIMIT;
        return new BatchDeadline(earlier(childStarted.plus(soft), invocationEnd),
                earlier(childStarted.plus(CHILD_LIMIT), invocationEnd));
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** Whether to take a chunk at {@code now}: the first of the invocation, or another after chunks of at most {@code longest}. */
    boolean allows(Instant now, Duration longest, boolean first) {
        return first ? now.isBefore(hard) : now.plus(longest).isBefore(soft);
    }
}
