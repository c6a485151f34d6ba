package dev.chunkflow.local.asl;

import dev.chunkflow.limits.AwsLimits;

/**
 * The AWS limits the engine checks. Each check is on by default; a violation is always reported in
 * {@link ExecutionStats#limitViolations()}, and fails the execution like AWS would when its check is on.
 */
public record Limits(
        boolean enforceStatePayload, int statePayloadBytes,
        boolean enforceLambdaPayload, int lambdaRequestBytes, int lambdaResponseBytes,
        boolean enforceHistory, int historyEvents,
        boolean capInlineMapConcurrency, int inlineMapMaxConcurrency,
        boolean enforceVariables, int variableBytes, int assignBytes, int executionVariableBytes) {

    /** Step Functions guide, "Passing data between states with variables", Limits: 256 KiB per variable. */
    public static final int AWS_VARIABLE_BYTES = 256 * 1024;
    /** Same page: 256 KiB for all the variables of one Assign field together. */
    public static final int AWS_ASSIGN_BYTES = 256 * 1024;
    /** Same page: 10 MiB for all the variables an execution stores. */
    public static final int AWS_EXECUTION_VARIABLE_BYTES = 10 * 1024 * 1024;

    /** The limits of AWS Step Functions Standard workflows and synchronous Lambda invocations. */
    public static Limits aws() {
        return new Limits(true, AwsLimits.SFN_STATE_PAYLOAD_BYTES,
                true, AwsLimits.LAMBDA_SYNC_REQUEST_BYTES, AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES,
                true, AwsLimits.SFN_STANDARD_HISTORY_EVENTS,
                true, AwsLimits.SFN_INLINE_MAP_MAX_CONCURRENCY,
                true, AWS_VARIABLE_BYTES, AWS_ASSIGN_BYTES, AWS_EXECUTION_VARIABLE_BYTES);
    }

    /** Measure and report, never fail. */
    public Limits reportOnly() {
        return new Limits(false, statePayloadBytes, false, lambdaRequestBytes, lambdaResponseBytes,
                false, historyEvents, false, inlineMapMaxConcurrency,
                false, variableBytes, assignBytes, executionVariableBytes);
    }

    public Limits withHistoryEvents(int max) {
        return new Limits(enforceStatePayload, statePayloadBytes, enforceLambdaPayload, lambdaRequestBytes,
                lambdaResponseBytes, enforceHistory, max, capInlineMapConcurrency, inlineMapMaxConcurrency,
                enforceVariables, variableBytes, assignBytes, executionVariableBytes);
    }

    public Limits withStatePayloadBytes(int max) {
        return new Limits(enforceStatePayload, max, enforceLambdaPayload, lambdaRequestBytes,
                lambdaResponseBytes, enforceHistory, historyEvents, capInlineMapConcurrency, inlineMapMaxConcurrency,
                enforceVariables, variableBytes, assignBytes, executionVariableBytes);
    }

    /** The three variable limits (per variable, per Assign field, per execution), e.g. smaller for a test. */
    public Limits withVariableBytes(int perVariable, int perAssign, int perExecution) {
        return new Limits(enforceStatePayload, statePayloadBytes, enforceLambdaPayload, lambdaRequestBytes,
                lambdaResponseBytes, enforceHistory, historyEvents, capInlineMapConcurrency, inlineMapMaxConcurrency,
                enforceVariables, perVariable, perAssign, perExecution);
    }
}
