package dev.chunkflow.local.lambda;

/**
 * One Lambda execution environment: the handler initialised once, then invoked one request at a time.
 * In this JVM ({@link InProcessEnvironment}) or in a JVM of its own ({@link ProcessEnvironment}).
 */
public interface ExecutionEnvironment extends AutoCloseable {
    /**
     * Runs one invocation, waiting at most {@code remainingMillis} of real time for it.
     *
     * @throws FunctionError  the handler's error, or the runtime's (e.g. {@code Runtime.ExitError})
     * @throws TimedOut       the invocation did not finish in time (the caller ends the environment)
     */
    byte[] invoke(byte[] request, String requestId, long remainingMillis) throws TimedOut;

    /**
     * As above, with {@code faults}' faults injected into the handler's SDK calls and the calls it made
     * reported back to it (null: none). Environments without a fault interceptor ignore it.
     */
    default byte[] invoke(byte[] request, String requestId, long remainingMillis,
                          dev.chunkflow.local.faults.FaultedInvocation faults) throws TimedOut {
        return invoke(request, requestId, remainingMillis);
    }

    /** False once the environment cannot serve another invocation (its process died, it was killed). */
    boolean alive();

    /** Bytes in this environment's private /tmp, or -1 when it has none of its own. */
    long tmpBytes();

    /** Ends the environment (kills its process). */
    @Override
    void close();

    /** The invocation ran out of time. */
    final class TimedOut extends Exception {
        public TimedOut() {
            super("timed out", null, false, false);
        }
    }
}
