package dev.chunkflow.local.lambda;

import java.util.List;
import java.util.Locale;

/**
 * The errors the Lambda service itself reports (as opposed to a handler's exception), with the
 * {@code errorType} Step Functions turns into the task's {@code Error} and the payload it puts in {@code Cause}.
 */
public final class LambdaErrors {
    /** A function that ran past its Timeout, as current runtimes (java21 included) report it. */
    public static final String TIMED_OUT = "Sandbox.Timedout";
    /** The runtime process died during the invocation (a crash, a kill, System.exit). */
    public static final String EXIT_ERROR = "Runtime.ExitError";
    public static final String TOO_MANY_REQUESTS = "Lambda.TooManyRequestsException";

    private LambdaErrors() {
    }

    public static FunctionError timedOut(String requestId, int timeoutSeconds) {
        String msg = "RequestId: " + requestId + " Error: Task timed out after "
                + String.format(Locale.ROOT, "%.2f", (double) timeoutSeconds) + " seconds";
        return new FunctionError(TIMED_OUT, msg, LocalFunction.errorJson(TIMED_OUT, msg, List.of()));
    }

    public static FunctionError exited(String requestId, String detail) {
        String msg = "RequestId: " + requestId + " Error: Runtime exited with error: " + detail;
        return new FunctionError(EXIT_ERROR, msg, LocalFunction.errorJson(EXIT_ERROR, msg, List.of()));
    }

    /** Over the account's or the function's concurrency: Lambda's 429, which Step Functions names so. */
    public static FunctionError tooManyRequests(String function, String which) {
        String msg = "Rate Exceeded. (" + function + ": " + which + ")";
        return new FunctionError(TOO_MANY_REQUESTS, msg, msg);
    }

    /** An error after which the Java runtime exits, so the environment is not reused (a VirtualMachineError). */
    static boolean endsEnvironment(FunctionError e) {
        return switch (e.errorType()) {
            case "java.lang.OutOfMemoryError", "java.lang.StackOverflowError", "java.lang.InternalError",
                 "java.lang.UnknownError", TIMED_OUT, EXIT_ERROR -> true;
            default -> false;
        };
    }
}
