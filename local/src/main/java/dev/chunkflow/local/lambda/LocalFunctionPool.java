package dev.chunkflow.local.lambda;

import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;
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
        try {
            return env.invoke(request);
        } finally {
            idle.addFirst(env);
        }
    }

    /** How many execution environments were started (cold starts). */
    public int environments() {
        return environments.get();
    }
}
