package dev.chunkflow.local.asl;

/**
 * A failure travelling through the interpreter: an error name and a cause, both possibly null (a Fail
 * state without Error/Cause). {@code States.Runtime} failures raised inside a state get the
 * "An error occurred while executing the state ..." prefix AWS puts on them once the state is known.
 */
public class StatesFailure extends RuntimeException {
    public static final String ALL = "States.ALL";
    public static final String RUNTIME = "States.Runtime";
    public static final String DATA_LIMIT_EXCEEDED = "States.DataLimitExceeded";
    public static final String TASK_FAILED = "States.TaskFailed";
    public static final String TIMEOUT = "States.Timeout";
    public static final String NO_CHOICE_MATCHED = "States.NoChoiceMatched";
    public static final String EXCEED_TOLERATED_FAILURE_THRESHOLD = "States.ExceedToleratedFailureThreshold";
    public static final String ITEM_READER_FAILED = "States.ItemReaderFailed";
    public static final String RESULT_WRITER_FAILED = "States.ResultWriterFailed";
    public static final String BRANCH_FAILED = "States.BranchFailed";
    public static final String QUERY_EVALUATION_ERROR = "States.QueryEvaluationError";

    private final String error;
    private final String cause;
    private final boolean located;

    public StatesFailure(String error, String cause) {
        this(error, cause, false);
    }

    private StatesFailure(String error, String cause, boolean located) {
        super((error == null ? "" : error) + (cause == null ? "" : ": " + cause), null, false, false);
        this.error = error;
        this.cause = cause;
        this.located = located;
    }

    /** A States.Runtime failure whose cause will be prefixed with the state it happened in. */
    public static StatesFailure runtime(String message) {
        return new StatesFailure(RUNTIME, message, false);
    }

    /** A JSONata evaluation failure (catchable, unlike States.Runtime); its cause gets the state prefix too. */
    public static StatesFailure queryEvaluation(String message) {
        return new StatesFailure(QUERY_EVALUATION_ERROR, message, false);
    }

    /** A failure whose cause is already final (no state prefix will be added). */
    public static StatesFailure withFinalCause(String error, String cause) {
        return new StatesFailure(error, cause, true);
    }

    public String error() {
        return error;
    }

    public String cause() {
        return cause;
    }

    /** States.Runtime is never retried nor caught; DataLimitExceeded only by its exact name. */
    public boolean isRuntime() {
        return RUNTIME.equals(error);
    }

    StatesFailure locatedIn(String stateName, long enteredEventId) {
        if (located || !(isRuntime() || QUERY_EVALUATION_ERROR.equals(error))) {
            return this;
        }
        return new StatesFailure(error, "An error occurred while executing the state '" + stateName
                + "' (entered at the event id #" + enteredEventId + "). " + cause, true);
    }
}
