package dev.chunkflow.common;

/**
 * Bad input to a handler. The Java Lambda runtime reports a thrown exception's class name as the
 * error type, so a Step Functions {@code Catch} can route it with
 * {@code "ErrorEquals": ["dev.chunkflow.common.InvalidInput"]}. The message always names the field
 * and the reason.
 */
public class InvalidInput extends RuntimeException {
    private final String field;

    public InvalidInput(String field, String reason) {
        super(field + ": " + reason);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
