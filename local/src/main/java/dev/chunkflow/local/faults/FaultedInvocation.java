package dev.chunkflow.local.faults;

import java.util.List;

/**
 * One invocation as the fault plan sees it: which one it is ({@code key}: function and chunk, batch or
 * ordinal; {@code attempt}: 1 for the first time this exact payload is invoked), the faults it gets,
 * and what the environment reports back: the SDK calls it made and the faults injected.
 */
public final class FaultedInvocation {
    private final String key;
    private final int attempt;
    private final InvocationFaults faults;
    private volatile List<String> calls = List.of();
    private volatile List<String> injected = List.of();
    private volatile boolean complete;

    public FaultedInvocation(String key, int attempt, InvocationFaults faults) {
        this.key = key;
        this.attempt = attempt;
        this.faults = faults;
    }

    public String key() {
        return key;
    }

    public int attempt() {
        return attempt;
    }

    public InvocationFaults faults() {
        return faults;
    }

    /** The environment's report: the calls made, in order, and the faults injected. */
    public void reported(List<String> calls, List<String> injected) {
        this.calls = List.copyOf(calls);
        this.injected = List.copyOf(injected);
        this.complete = true;
    }

    public List<String> calls() {
        return calls;
    }

    public List<String> injected() {
        return injected;
    }

    /** False when the environment died before it could report (a crash in its own process). */
    public boolean complete() {
        return complete;
    }
}
