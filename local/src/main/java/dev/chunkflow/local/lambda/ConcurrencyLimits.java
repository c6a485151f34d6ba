package dev.chunkflow.local.lambda;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Lambda's concurrency rules: a function with {@code ReservedConcurrentExecutions} R runs at most R
 * invocations at once, and those R are taken out of the account's limit; every other function shares
 * what is left (the unreserved pool). An invocation over its limit is refused before the handler runs
 * with {@code Lambda.TooManyRequestsException}, which the state machine's retriers handle.
 */
public final class ConcurrencyLimits {
    private final int account;
    private final Map<String, Integer> reserved;
    private final int unreserved;
    private final Map<String, Integer> inFlight = new HashMap<>();
    private int unreservedInFlight;
    private final AtomicLong throttled = new AtomicLong();

    /** @param reserved function name to its reserved concurrency (functions without one are absent) */
    public ConcurrencyLimits(int account, Map<String, Integer> reserved) {
        this.account = account;
        this.reserved = Map.copyOf(reserved);
        int sum = reserved.values().stream().mapToInt(Integer::intValue).sum();
        if (sum > account) {
            throw new IllegalArgumentException("the template reserves " + sum + " concurrent executions, more than the account's "
                    + account + " (--account-concurrency)");
        }
        this.unreserved = account - sum;
    }

    /** Takes a slot for one invocation of {@code function} or throws {@code Lambda.TooManyRequestsException}. */
    public synchronized void acquire(String function) {
        Integer r = reserved.get(function);
        int running = inFlight.getOrDefault(function, 0);
        if (r != null) {
            if (running >= r) {
                throttled.incrementAndGet();
                throw LambdaErrors.tooManyRequests(function, "reserved concurrency " + r + " in use");
            }
        } else {
            if (unreservedInFlight >= unreserved) {
                throttled.incrementAndGet();
                throw LambdaErrors.tooManyRequests(function, "account concurrency " + account + " in use"
                        + (unreserved < account ? " (" + (account - unreserved) + " reserved by other functions)" : ""));
            }
            unreservedInFlight++;
        }
        inFlight.put(function, running + 1);
    }

    public synchronized void release(String function) {
        inFlight.merge(function, -1, Integer::sum);
        if (!reserved.containsKey(function)) {
            unreservedInFlight--;
        }
    }

    /** Invocations refused so far. */
    public long throttled() {
        return throttled.get();
    }
}
