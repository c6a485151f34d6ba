package dev.chunkflow.io;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs S3 writes on a few threads with a bound on the work in flight (so at most {@code maxInFlight}
 * prepared bodies are held in memory). {@link #await()} rethrows the first failure.
 */
public final class ParallelPuts implements AutoCloseable {
    private final ExecutorService pool;
    private final Semaphore permits;
    private final int maxInFlight;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    public ParallelPuts(int threads, int maxInFlight) {
        this.pool = Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "chunkflow-put");
            t.setDaemon(true);
            return t;
        });
        this.maxInFlight = maxInFlight;
        this.permits = new Semaphore(maxInFlight);
    }

    public void submit(Runnable put) {
        rethrow();
        permits.acquireUninterruptibly();
        try {
            pool.execute(() -> {
                try {
                    put.run();
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                } finally {
                    permits.release();
                }
            });
        } catch (RuntimeException e) {
            permits.release();
            throw e;
        }
    }

    /** Waits until everything submitted so far is done. */
    public void await() {
        permits.acquireUninterruptibly(maxInFlight);
        permits.release(maxInFlight);
        rethrow();
    }

    private void rethrow() {
        Throwable t = failure.get();
        if (t instanceof RuntimeException re) {
            throw re;
        }
        if (t instanceof Error err) {
            throw err;
        }
        if (t != null) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
