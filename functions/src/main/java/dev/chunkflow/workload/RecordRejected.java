package dev.chunkflow.workload;

/**
 * Thrown by {@link ChunkProcessor#accept} to reject a record. The machinery writes
 * {@code {source, line, reason, detail}} to the run's {@code rejects} part; {@code detail} must describe
 * the problem without repeating field values (they may be personal data).
 */
public final class RecordRejected extends RuntimeException {
    private final String reason;

    /** @param reason a stable code (summaries count by it), e.g. {@code bad_date} */
    public RecordRejected(String reason, String detail) {
        super(detail, null, false, false); // thrown per bad record: no stack trace to fill
        this.reason = reason;
    }

    public String reason() {
        return reason;
    }

    public String detail() {
        return getMessage();
    }
}
