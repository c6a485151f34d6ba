package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

/** Thread-safe accumulation of {@link ExecutionStats} and the limit checks that feed it. */
final class StatsCollector {
    private final Limits limits;
    private final ExecutionListener listener;
    private long maxState;
    private String maxStateName;
    private long maxRequest;
    private long maxResponse;
    private long invocations;
    private int maxChildEvents;
    private int children;
    private final List<LimitViolation> violations = new ArrayList<>();

    StatsCollector(Limits limits, ExecutionListener listener) {
        this.limits = limits;
        this.listener = listener;
    }

    Limits limits() {
        return limits;
    }

    /** Records a state payload size; true when it is over the limit and the check is enforced. */
    synchronized boolean statePayload(String execution, String state, int bytes) {
        if (bytes > maxState) {
            maxState = bytes;
            maxStateName = state;
        }
        if (bytes > limits.statePayloadBytes()) {
            violation(new LimitViolation("STATE_PAYLOAD", execution, state, bytes, limits.statePayloadBytes(), limits.enforceStatePayload()));
            return limits.enforceStatePayload();
        }
        return false;
    }

    synchronized boolean lambdaRequest(String execution, String state, int bytes) {
        invocations++;
        maxRequest = Math.max(maxRequest, bytes);
        if (bytes > limits.lambdaRequestBytes()) {
            violation(new LimitViolation("LAMBDA_REQUEST", execution, state, bytes, limits.lambdaRequestBytes(), limits.enforceLambdaPayload()));
            return limits.enforceLambdaPayload();
        }
        return false;
    }

    synchronized boolean lambdaResponse(String execution, String state, int bytes) {
        maxResponse = Math.max(maxResponse, bytes);
        if (bytes > limits.lambdaResponseBytes()) {
            violation(new LimitViolation("LAMBDA_RESPONSE", execution, state, bytes, limits.lambdaResponseBytes(), limits.enforceLambdaPayload()));
            return limits.enforceLambdaPayload();
        }
        return false;
    }

    /** Records a variable size against one of the variable limits; true when over it and enforced. */
    synchronized boolean variable(String execution, String state, String limit, long bytes, long max) {
        if (bytes > max) {
            violation(new LimitViolation(limit, execution, state, bytes, max, limits.enforceVariables()));
            return limits.enforceVariables();
        }
        return false;
    }

    synchronized void childFinished(int events) {
        children++;
        maxChildEvents = Math.max(maxChildEvents, events);
    }

    synchronized void violation(LimitViolation v) {
        violations.add(v);
        listener.onLimitViolation(v);
    }

    synchronized ExecutionStats snapshot(int parentEvents) {
        return new ExecutionStats(maxState, maxStateName, maxRequest, maxResponse, invocations, parentEvents,
                maxChildEvents, children, List.copyOf(violations));
    }
}
