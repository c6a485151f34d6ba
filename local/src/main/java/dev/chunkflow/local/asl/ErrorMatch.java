package dev.chunkflow.local.asl;

import java.util.List;

/**
 * ErrorEquals matching. States.ALL and States.TaskFailed are wildcards that never match
 * States.Runtime nor States.DataLimitExceeded (uncatchable errors); States.TaskFailed does not match
 * States.Timeout either. States.Runtime is never caught nor retried, even by its exact name (as AWS);
 * States.DataLimitExceeded only by its exact name.
 */
final class ErrorMatch {
    private ErrorMatch() {
    }

    static boolean matches(List<String> errorEquals, String error) {
        if (StatesFailure.RUNTIME.equals(error)) {
            return false;
        }
        boolean uncatchable = StatesFailure.DATA_LIMIT_EXCEEDED.equals(error);
        for (String e : errorEquals) {
            if (e.equals(error)) {
                return true;
            }
            if (!uncatchable && StatesFailure.ALL.equals(e)) {
                return true;
            }
            if (!uncatchable && StatesFailure.TASK_FAILED.equals(e) && !StatesFailure.TIMEOUT.equals(error)) {
                return true;
            }
        }
        return false;
    }
}
