package dev.chunkflow.local.faults;

/**
 * Which HTTP attempts of a faulted SDK call fail. The SDK retries throttling, 5xx and I/O errors on its
 * own (standard mode: 3 attempts), so {@link #ATTEMPT} is what AWS usually does to a client and is
 * mostly absorbed; {@link #CALL} fails every attempt, so the handler sees the error and Step Functions'
 * Retry (or the execution's failure and a redrive) has to deal with it.
 */
public enum FaultScope {
    ATTEMPT, CALL;

    public static FaultScope parse(String s) {
        return switch (s) {
            case "attempt" -> ATTEMPT;
            case "call" -> CALL;
            default -> throw new IllegalArgumentException("fault scope must be attempt or call, got '" + s + "'");
        };
    }
}
