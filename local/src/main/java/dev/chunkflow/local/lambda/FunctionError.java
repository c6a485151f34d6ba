package dev.chunkflow.local.lambda;

/**
 * A failed invocation, shaped as Lambda reports it: {@code errorType} (for a Java function the thrown
 * class's name, or a Lambda service error such as {@code Lambda.ServiceException}) and the error JSON
 * that Step Functions puts in {@code Cause}.
 */
public final class FunctionError extends RuntimeException {
    private final String errorType;
    private final String cause;

    public FunctionError(String errorType, String errorMessage, String cause) {
        super(errorType + ": " + errorMessage);
        this.errorType = errorType;
        this.cause = cause;
    }

    public String errorType() {
        return errorType;
    }

    /** The JSON error document ({@code {"errorMessage","errorType","stackTrace"}}) or a service message. */
    public String causeJson() {
        return cause;
    }
}
