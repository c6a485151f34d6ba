package dev.chunkflow.local.lambda;

import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The execution environments of one function, as Lambda keeps them: an invocation takes an idle
 * environment or, when all are busy, starts a new one (a cold start); an environment never serves two
 * invocations at once, and is reused until it times out, crashes or runs out of memory.
 *
 * <p>Each invocation is measured on its own clock: real time since it started plus the latency
 * injected for the function ({@code --latency}), which is added before the handler runs without really
 * sleeping. The handler's {@code getRemainingTimeInMillis} and the function's Timeout use that clock,
 * so a latency at or over the Timeout fails the invocation with {@code Sandbox.Timedout} at once.
 */
public final class LocalFunctionPool {
    private final FunctionConfig config;
    private final Supplier<? extends ExecutionEnvironment> coldStart;
    private final Duration latency;
    private final ConcurrencyLimits concurrency;
    private final ConcurrentLinkedDeque<ExecutionEnvironment> idle = new ConcurrentLinkedDeque<>();
    private final List<ExecutionEnvironment> live = new CopyOnWriteArrayList<>();
    private final AtomicInteger environments = new AtomicInteger();
    private final AtomicLong invocations = new AtomicLong();
    private final AtomicLong billedMs = new AtomicLong();
    private final AtomicLong maxMs = new AtomicLong();
    private final AtomicLong timeouts = new AtomicLong();
    private final AtomicLong throttles = new AtomicLong();
    private volatile java.util.function.Consumer<Duration> injectedTime = d -> { };

    public LocalFunctionPool(FunctionConfig config, Supplier<? extends ExecutionEnvironment> coldStart, Duration latency,
                             ConcurrencyLimits concurrency) {
        this.config = config;
        this.coldStart = coldStart;
        this.latency = latency;
        this.concurrency = concurrency;
    }

    /**
     * Called on the invoking thread after each invocation that ran, with the injected time it consumed
     * (the latency, or the Timeout when the latency reached it): the caller's clock may move by as much.
     */
    public void onInjectedTime(java.util.function.Consumer<Duration> listener) {
        this.injectedTime = listener;
    }

    public String name() {
        return config.name();
    }

    public FunctionConfig config() {
        return config;
    }

    public byte[] invoke(byte[] request) {
        return invoke(request, null);
    }

    /** As above, with SDK faults for the invocation (null: none); see {@link ExecutionEnvironment#invoke}. */
    public byte[] invoke(byte[] request, dev.chunkflow.local.faults.FaultedInvocation faults) {
        try {
            concurrency.acquire(config.name());
        } catch (FunctionError throttled) {
            throttles.incrementAndGet();
            throw throttled;
        }
        try {
            return invokeInEnvironment(request, faults);
        } finally {
            concurrency.release(config.name());
        }
    }

    private byte[] invokeInEnvironment(byte[] request, dev.chunkflow.local.faults.FaultedInvocation faults) {
        ExecutionEnvironment env = idle.pollFirst();
        if (env == null) {
            env = coldStart.get();
            environments.incrementAndGet();
            live.add(env);
        }
        String requestId = UUID.randomUUID().toString();
        long latencyMs = latency.toMillis();
        long remaining = config.timeoutMillis() - latencyMs;
        long start = System.nanoTime();
        boolean reuse = false;
        try {
            if (remaining <= 0) {
                throw timedOut(requestId);
            }
            byte[] response;
            try {
                response = env.invoke(request, requestId, remaining, faults);
            } catch (ExecutionEnvironment.TimedOut e) {
                throw timedOut(requestId);
            }
            if (elapsedMs(start) + latencyMs > config.timeoutMillis()) {
                throw timedOut(requestId); // finished, but after its deadline: Lambda discards the response
            }
            reuse = env.alive();
            return response;
        } catch (FunctionError e) {
            reuse = env.alive() && !LambdaErrors.endsEnvironment(e);
            throw e;
        } finally {
            if (latencyMs > 0) {
                injectedTime.accept(Duration.ofMillis(Math.min(latencyMs, config.timeoutMillis())));
            }
            long ms = elapsedMs(start);
            invocations.incrementAndGet();
            billedMs.addAndGet(ms);
            maxMs.accumulateAndGet(ms, Math::max);
            if (reuse) {
                idle.addFirst(env);
            } else {
                live.remove(env);
                env.close();
            }
        }
    }

    private FunctionError timedOut(String requestId) {
        timeouts.incrementAndGet();
        return LambdaErrors.timedOut(requestId, config.timeoutSeconds());
    }

    // Lambda bills each invocation's duration rounded up to the millisecond.
    private static long elapsedMs(long startNanos) {
        return (System.nanoTime() - startNanos + 999_999) / 1_000_000;
    }

    /** Ends an idle environment to free its memory for another function; false if none is idle. */
    boolean evictIdle() {
        ExecutionEnvironment env = idle.pollLast();
        if (env == null) {
            return false;
        }
        live.remove(env);
        env.close();
        return true;
    }

    /** The environments alive now (idle or busy), e.g. to kill one's process from a fault injector. */
    public List<ExecutionEnvironment> liveEnvironments() {
        return List.copyOf(live);
    }

    /** Ends every environment (the runner is shutting down). */
    public void close() {
        for (ExecutionEnvironment env : live) {
            env.close();
        }
        live.clear();
        idle.clear();
    }

    /** Invocations so far (errors included), their billed duration, the environments started, timeouts and throttles. */
    public Usage usage() {
        return new Usage(invocations.get(), billedMs.get(), maxMs.get(), environments.get(), timeouts.get(), throttles.get());
    }

    /**
     * @param billed_ms the sum of invocation durations, each rounded up to 1 ms as Lambda bills them (real time;
     *                  injected latency is not included)
     */
    public record Usage(long invocations, long billed_ms, long max_ms, int environments, long timeouts, long throttles) {
    }

    /** How many execution environments were started (cold starts). */
    public int environments() {
        return environments.get();
    }
}
