package dev.chunkflow.local.lambda;

import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

import dev.chunkflow.local.faults.FaultInterceptor;
import dev.chunkflow.local.faults.FaultedInvocation;

/**
 * An execution environment in this JVM: one handler instance and one thread of its own, so an
 * invocation that runs past its deadline can be abandoned (its thread is interrupted and the
 * environment discarded; a handler that ignores interrupts keeps its thread until it returns, which
 * only process isolation can prevent). With a {@link FaultInterceptor} on its SDK clients, an injected
 * sandbox crash ends the environment and the invocation fails with {@code Runtime.ExitError}, as a
 * crashed runtime's does.
 */
public final class InProcessEnvironment implements ExecutionEnvironment {
    private static final AtomicInteger IDS = new AtomicInteger();

    private final LocalFunction function;
    private final FaultInterceptor faults;
    private final AutoCloseable resources;
    private final ExecutorService thread;
    private volatile boolean alive = true;

    public InProcessEnvironment(LocalFunction function) {
        this(function, null, null);
    }

    /**
     * @param faults    the interceptor on this environment's own SDK clients, or null
     * @param resources closed with the environment (its SDK clients), or null
     */
    public InProcessEnvironment(LocalFunction function, FaultInterceptor faults, AutoCloseable resources) {
        this.function = function;
        this.faults = faults;
        this.resources = resources;
        String threadName = "lambda-" + function.name() + "-" + IDS.incrementAndGet();
        this.thread = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public byte[] invoke(byte[] request, String requestId, long remainingMillis) throws TimedOut {
        return invoke(request, requestId, remainingMillis, null);
    }

    @Override
    public byte[] invoke(byte[] request, String requestId, long remainingMillis, FaultedInvocation injected) throws TimedOut {
        if (faults != null) {
            faults.begin(injected == null ? null : injected.faults());
        }
        try {
            byte[] response = run(request, requestId, remainingMillis);
            crashCheck(requestId);
            return response;
        } catch (RuntimeException e) {
            crashCheck(requestId);
            throw e;
        } finally {
            if (faults != null) {
                List<String> calls = faults.end();
                if (injected != null) {
                    injected.reported(calls, faults.injected());
                }
            }
        }
    }

    private void crashCheck(String requestId) {
        if (faults != null && faults.crashed()) {
            alive = false;
            throw LambdaErrors.exited(requestId, "signal: killed (injected sandbox crash)");
        }
    }

    private byte[] run(byte[] request, String requestId, long remainingMillis) throws TimedOut {
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
        if (resources != null) {
            try {
                resources.close();
            } catch (Exception ignored) {
                // the environment is gone either way
            }
        }
    }
}
