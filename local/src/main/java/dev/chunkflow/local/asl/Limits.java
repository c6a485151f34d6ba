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
        boolean capInlineMapConcurrency, int inlineMapMaxConcurrency) {

    /** The limits of AWS Step Functions Standard workflows and synchronous Lambda invocations. */
    public static Limits aws() {
        return new Limits(true, AwsLimits.SFN_STATE_PAYLOAD_BYTES,
                true, AwsLimits.LAMBDA_SYNC_REQUEST_BYTES, AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES,
                true, AwsLimits.SFN_STANDARD_HISTORY_EVENTS,
                true, AwsLimits.SFN_INLINE_MAP_MAX_CONCURRENCY);
    }

    /** Measure and report, never fail. */
    public Limits reportOnly() {
        return new Limits(false, statePayloadBytes, false, lambdaRequestBytes, lambdaResponseBytes,
                false, historyEvents, false, inlineMapMaxConcurrency);
    }

    public Limits withHistoryEvents(int max) {
        return new Limits(enforceStatePayload, statePayloadBytes, enforceLambdaPayload, lambdaRequestBytes,
                lambdaResponseBytes, enforceHistory, max, capInlineMapConcurrency, inlineMapMaxConcurrency);
    }

    public Limits withStatePayloadBytes(int max) {
        return new Limits(enforceStatePayload, max, enforceLambdaPayload, lambdaRequestBytes,
                lambdaResponseBytes, enforceHistory, historyEvents, capInlineMapConcurrency, inlineMapMaxConcurrency);
    }
}
