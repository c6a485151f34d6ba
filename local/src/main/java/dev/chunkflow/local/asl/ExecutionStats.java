package dev.chunkflow.local.asl;

import java.util.List;

/**
 * Figures measured during one execution, its Map iterations and Distributed Map child executions.
 *
 * @param maxStatePayloadBytes    largest state input, effective input, task result or output (UTF-8 bytes)
 * @param maxStatePayloadState    the state where it was seen
 * @param maxLambdaRequestBytes   largest Lambda invocation payload
 * @param maxLambdaResponseBytes  largest Lambda response payload
 * @param lambdaInvocations       number of Lambda invocations (retries included)
 * @param historyEvents           events in the parent execution's history
 * @param maxChildHistoryEvents   most events in one Distributed Map child execution (0 if none)
 * @param childExecutions         Distributed Map child executions started
 * @param limitViolations         every limit exceeded, enforced or not
 */
public record ExecutionStats(long maxStatePayloadBytes, String maxStatePayloadState, long maxLambdaRequestBytes,
                             long maxLambdaResponseBytes, long lambdaInvocations, int historyEvents,
                             int maxChildHistoryEvents, int childExecutions, List<LimitViolation> limitViolations) {
}
