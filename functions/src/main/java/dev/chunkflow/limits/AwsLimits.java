package dev.chunkflow.limits;

/**
 * The hard service limits chunkflow is built around, in one place. Every number is in bytes (UTF-8
 * for text) or a plain count, exactly as the service enforces it.
 */
public final class AwsLimits {
    private AwsLimits() {
    }

    /**
     * Step Functions: maximum size of a state's input, output or a task result, in UTF-8 bytes.
     * Exceeding it fails the state with {@code States.DataLimitExceeded}.
     * (Step Functions developer guide, "Quotas related to state throttling / payload size": 256 KiB.)
     */
    public static final int SFN_STATE_PAYLOAD_BYTES = 262_144;

    /** Lambda: maximum synchronous (RequestResponse) invocation request payload; above it {@code RequestEntityTooLargeException}. */
    public static final int LAMBDA_SYNC_REQUEST_BYTES = 6_291_456;

    /** Lambda: maximum synchronous response payload; above it {@code Function.ResponseSizeTooLarge}. */
    public static final int LAMBDA_SYNC_RESPONSE_BYTES = 6_291_556;

    /** Lambda: maximum asynchronous (Event) invocation payload, 1 MB. */
    public static final int LAMBDA_ASYNC_REQUEST_BYTES = 1_048_576;

    /** DynamoDB: maximum item size (attribute names plus values), 400 KB. */
    public static final int DYNAMODB_ITEM_BYTES = 409_600;

    /** Step Functions Standard workflow: maximum events in one execution's history. */
    public static final int SFN_STANDARD_HISTORY_EVENTS = 25_000;

    /** Step Functions inline Map state: maximum concurrent iterations. */
    public static final int SFN_INLINE_MAP_MAX_CONCURRENCY = 40;
}
