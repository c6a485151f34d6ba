package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a {@link LambdaInvoker} throws when the invocation fails: a function error (Error = the
 * function's errorType, Cause = the error JSON Lambda returned) or a Lambda service error
 * (Error = {@code Lambda.ServiceException}, {@code Lambda.TooManyRequestsException}, ...).
 */
public class TaskFailure extends RuntimeException {
    private final String error;
    private final String errorCause;

    public TaskFailure(String error, String cause) {
        super(error + (cause == null ? "" : ": " + cause));
        this.error = error;
        this.errorCause = cause;
    }

    /** A function error shaped like Lambda's response payload: {"errorMessage","errorType","stackTrace"?}. */
    public static TaskFailure functionError(String errorType, String errorMessage) {
        ObjectNode body = AslJson.NODES.objectNode();
        body.put("errorMessage", errorMessage);
        body.put("errorType", errorType);
        return new TaskFailure(errorType, AslJson.write(body));
    }

    public String error() {
        return error;
    }

    public String cause() {
        return errorCause;
    }
}
