package dev.chunkflow.local.asl;

/**
 * An execution ran past its maximum duration (an EXPRESS execution's 5 minutes). Not a state error:
 * no Retry or Catch sees it, it ends the execution with {@code States.Timeout}.
 */
final class ExecutionTimedOut extends RuntimeException {
    ExecutionTimedOut(String message) {
        super(message, null, false, false);
    }
}
