package dev.chunkflow.local.lambda;

import java.util.SplittableRandom;

/**
 * Makes a share of invocations fail the way the Lambda service does under load, before the handler
 * runs: {@code Lambda.ServiceException} or {@code Lambda.TooManyRequestsException}. Seeded, so a run
 * with the same seed fails the same invocations in the same order.
 */
public final class FaultInjector {
    private final double rate;
    private final SplittableRandom random;
    private long injected;

    public FaultInjector(double rate, long seed) {
        if (rate < 0 || rate >= 1) {
            throw new IllegalArgumentException("--faults: rate must be in [0, 1), got " + rate);
        }
        this.rate = rate;
        this.random = new SplittableRandom(seed);
    }

    /** Throws an injected service error for this invocation, or returns normally. */
    public synchronized void maybeFail(String functionName) {
        if (rate == 0 || random.nextDouble() >= rate) {
            return;
        }
        injected++;
        boolean throttle = random.nextBoolean();
        String type = throttle ? "Lambda.TooManyRequestsException" : "Lambda.ServiceException";
        String message = throttle ? "Rate Exceeded. (injected by --faults)" : "Internal service error. (injected by --faults)";
        throw new FunctionError(type, message, message);
    }

    public synchronized long injected() {
        return injected;
    }
}
