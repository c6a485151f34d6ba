package dev.chunkflow.local.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * What can go wrong at one SDK call of a handler. The per-call errors are the ones AWS answers under
 * load or trouble; the crashes end the execution environment around the call.
 */
public enum FaultKind {
    /** S3 503 SlowDown, not applied (retryable: the SDK retries it). */
    S3_SLOW_DOWN("s3-503"),
    /** S3 500 InternalError, not applied. */
    S3_INTERNAL_ERROR("s3-500"),
    /** DynamoDB ThrottlingException (400), not applied. */
    DDB_THROTTLING("ddb-throttling"),
    /** DynamoDB ProvisionedThroughputExceededException (400), not applied. */
    DDB_THROUGHPUT_EXCEEDED("ddb-throughput"),
    /** DynamoDB InternalServerError (500), not applied. */
    DDB_INTERNAL_ERROR("ddb-500"),
    /** The connection resets after half of a GetObject body was read. */
    GET_RESET("get-reset"),
    /** The request is applied, then the client gets a read timeout: it cannot know whether it was. */
    AMBIGUOUS("ambiguous"),
    /** The environment dies right before the call is sent. */
    CRASH_BEFORE("crash-before"),
    /** The environment dies right after the call returned. */
    CRASH_AFTER("crash-after");

    private final String label;

    FaultKind(String label) {
        this.label = label;
    }

    public String label() {
        return label;
    }

    public boolean isCrash() {
        return this == CRASH_BEFORE || this == CRASH_AFTER;
    }

    /** Whether this kind can happen at a call of {@code service}'s {@code operation} (SDK names, e.g. "S3", "GetObject"). */
    public boolean appliesTo(String service, String operation) {
        return switch (this) {
            case S3_SLOW_DOWN, S3_INTERNAL_ERROR -> "S3".equals(service);
            case DDB_THROTTLING, DDB_THROUGHPUT_EXCEEDED, DDB_INTERNAL_ERROR -> "DynamoDb".equals(service);
            case GET_RESET -> "S3".equals(service) && "GetObject".equals(operation);
            case AMBIGUOUS, CRASH_BEFORE, CRASH_AFTER -> true;
        };
    }

    /** The kinds that can happen at a call, in declaration order. */
    public static List<FaultKind> applicable(String service, String operation) {
        List<FaultKind> out = new ArrayList<>();
        for (FaultKind k : values()) {
            if (k.appliesTo(service, operation)) {
                out.add(k);
            }
        }
        return out;
    }

    public static FaultKind parse(String label) {
        for (FaultKind k : values()) {
            if (k.label.equals(label)) {
                return k;
            }
        }
        throw new IllegalArgumentException("unknown fault kind '" + label + "'");
    }
}
