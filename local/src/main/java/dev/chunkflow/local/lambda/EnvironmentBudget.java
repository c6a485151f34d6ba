package dev.chunkflow.local.lambda;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Process isolation's bound on memory: the MemorySize of every live environment, summed, stays within
 * {@code --process-memory}. Each child JVM reserves its max heap as address space and commits only
 * what it uses, so the bound is on what the environments may grow to, not on what they hold. A cold
 * start that does not fit first ends idle environments (of any function), then waits for busy ones.
 */
public final class EnvironmentBudget {
    private final int maxMb;
    private final List<LocalFunctionPool> pools = new CopyOnWriteArrayList<>();
    private int usedMb;

    public EnvironmentBudget(int maxMb) {
        this.maxMb = maxMb;
    }

    /** Pools whose idle environments may be ended to make room. */
    public void register(LocalFunctionPool pool) {
        pools.add(pool);
    }

    public synchronized void acquire(FunctionConfig config) {
        if (config.memoryMb() > maxMb) {
            throw new IllegalArgumentException(config.name() + ": MemorySize " + config.memoryMb()
                    + " MB does not fit --process-memory " + maxMb + " MB");
        }
        while (usedMb + config.memoryMb() > maxMb) {
            boolean evicted = false;
            for (LocalFunctionPool p : pools) {
                if (p.evictIdle()) {
                    evicted = true;
                    break;
                }
            }
            if (!evicted) {
                try {
                    wait(100);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new FunctionError("Lambda.ServiceException", "interrupted waiting for memory", "interrupted");
                }
            }
        }
        usedMb += config.memoryMb();
    }

    public synchronized void release(int mb) {
        usedMb -= mb;
        notifyAll();
    }

    public synchronized int usedMb() {
        return usedMb;
    }
}
