package dev.chunkflow.local.lambda;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An execution environment in this JVM: one handler instance and one thread of its own, so an
 * invocation that runs past its deadline can be abandoned (its thread is interrupted and the
 * environment discarded; a handler that ignores interrupts keeps its thread until it returns, which
 * only process isolation can prevent).
 */
public final class InProcessEnvironment implements ExecutionEnvironment {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final LocalFunction function;
    private final ExecutorService thread;
    private volatile boolean alive = true;

    public InProcessEnvironment(LocalFunction function) {
        this.function = function;
        String threadName = "lambda-" + function.name() + "-" + IDS.incrementAndGet();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public byte[] invoke(byte[] request, String requestId, long remainingMillis) throws TimedOut {
        Future<byte[]> f = thread.submit(() -> function.invoke(request, requestId, remainingMillis));
        try {
            return f.get(Math.max(0, remainingMillis), TimeUnit.MILLISECONDS);
        } catch (TimeoutException e) {
            f.cancel(true);
            alive = false;
            throw new TimedOut();
        } catch (ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException re) {
                throw re;
            }
            throw new IllegalStateException(c);
        } catch (InterruptedException e) {
            f.cancel(true);
            alive = false;
            Thread.currentThread().interrupt();
            throw new FunctionError("Lambda.ServiceException", "invocation interrupted", "invocation interrupted");
        }
    }

    @Override
    public boolean alive() {
        return alive;
    }

    @Override
    public long tmpBytes() {
        return -1;
    }

    @Override
    public void close() {
        alive = false;
        thread.shutdownNow();
    }
}
