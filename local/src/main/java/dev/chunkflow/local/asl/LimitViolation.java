package dev.chunkflow.local.asl;

/**
 * One limit exceeded during an execution.
 *
 * @param limit     STATE_PAYLOAD, LAMBDA_REQUEST, LAMBDA_RESPONSE, HISTORY_EVENTS, VARIABLE_SIZE (one
 *                  variable), ASSIGN_SIZE (one Assign field) or EXECUTION_VARIABLES (all stored variables)
 * @param execution the execution (parent or Distributed Map child) it happened in
 * @param state     the state, or null for the execution itself
 * @param value     the measured bytes or events
 * @param max       the limit
 * @param enforced  whether the execution was failed for it
 */
public record LimitViolation(String limit, String execution, String state, long value, long max, boolean enforced) {
    public String message() {
        String unit = limit.equals("HISTORY_EVENTS") ? " events" : " bytes";
        return limit + " " + value + unit + " > " + max + unit + (state == null ? "" : " in state '" + state + "'")
                + " of execution '" + execution + "'" + (enforced ? "" : " (reported only)");
    }
}
