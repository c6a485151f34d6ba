package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs n iterations (Map items, Parallel branches, child executions) on real threads, at most
 * {@code concurrency} at a time. The first failure cancels the group: no new iteration starts,
 * running ones stop at their next state, and that failure is rethrown once all have stopped.
 */
final class Group {
    @FunctionalInterface
    interface Body {
        void run(int index, Scope scope);
    }

    private Group() {
    }

    static void run(ExecutorService pool, int n, int concurrency, Scope parent, Body body) {
        if (n == 0) {
            return;
        }
        Scope group = parent.child();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<RuntimeException> failure = new AtomicReference<>();
        int workers = Math.max(1, Math.min(n, concurrency));
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) {
            futures.add(pool.submit(() -> {
                while (!group.isCancelled()) {
                    int i = next.getAndIncrement();
                    if (i >= n) {
                        return;
                    }
                    Scope inner = group.innerScope();
                    try {
                        body.run(i, inner);
                    } catch (Scope.Aborted a) {
                        return;
                    } catch (RuntimeException | Error e) {
                        RuntimeException r = e instanceof RuntimeException re ? re : new IllegalStateException(e);
                        failure.compareAndSet(null, r);
                        group.cancel();
                        return;
                    } finally {
                        inner.variables.release();
                    }
                }
            }));
        }
        boolean interrupted = false;
        for (Future<?> f : futures) {
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    failure.compareAndSet(null, new IllegalStateException(e.getCause()));
                    break;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
        parent.lastEventId = parent.ex.history.count();
        if (failure.get() != null) {
            throw failure.get();
        }
        parent.checkCancelled();
    }
}
