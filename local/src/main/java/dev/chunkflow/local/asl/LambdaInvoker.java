package dev.chunkflow.local.asl;

/**
 * Invokes a Lambda function synchronously with JSON bytes and returns the JSON bytes it responded,
 * like Lambda's RequestResponse invocation. Throws {@link TaskFailure} for function or service errors.
 * Called concurrently from Map and Parallel iterations.
 */
@FunctionalInterface
public interface LambdaInvoker {
    byte[] invoke(String functionArnOrName, byte[] payload);

    /** The default when none is configured: every Task fails as if the function did not exist. */
    static LambdaInvoker none() {
        return (fn, payload) -> {
            throw new TaskFailure("Lambda.ResourceNotFoundException",
                    "Function not found: " + fn + " (no LambdaInvoker is configured in the local engine)");
        };
    }

    /** Every function returns its input unchanged. */
    static LambdaInvoker identity() {
        return (fn, payload) -> payload;
    }
}
