package dev.chunkflow.local.lambda;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The execution environments of one function, as Lambda keeps them: an invocation takes an idle
 * environment or, when all are busy, starts a new one (a cold start); an environment never serves two
 * invocations at once. So handler code that is not thread-safe behaves locally as it does on AWS.
 */
public final class LocalFunctionPool {
    private final String name;
    private final Supplier<LocalFunction> coldStart;
    private final ConcurrentLinkedDeque<LocalFunction> idle = new ConcurrentLinkedDeque<>();
    private final AtomicInteger environments = new AtomicInteger();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong billedMs = new AtomicLong();
    private final AtomicLong maxMs = new AtomicLong();

    public LocalFunctionPool(String name, Supplier<LocalFunction> coldStart) {
        this.name = name;
        this.coldStart = coldStart;
    }

    public String name() {
        return name;
    }

    public byte[] invoke(byte[] request) {
        LocalFunction env = idle.pollFirst();
        if (env == null) {
            env = coldStart.get();
            environments.incrementAndGet();
        }
        long start = System.nanoTime();
        try {
            return env.invoke(request);
        } finally {
            // Lambda bills each invocation's duration rounded up to the millisecond.
            long ms = (System.nanoTime() - start + 999_999) / 1_000_000;
            invocations.incrementAndGet();
            billedMs.addAndGet(ms);
            maxMs.accumulateAndGet(ms, Math::max);
            idle.addFirst(env);
        }
    }

    /** Invocations so far (errors included), their billed duration and the environments started. */
    public Usage usage() {
        return new Usage(invocations.get(), billedMs.get(), maxMs.get(), environments.get());
    }

    /** @param billed_ms the sum of invocation durations, each rounded up to 1 ms as Lambda bills them */
    public record Usage(long invocations, long billed_ms, long max_ms, int environments) {
    }

    /** How many execution environments were started (cold starts). */
    public int environments() {
        return environments.get();
    }
}
