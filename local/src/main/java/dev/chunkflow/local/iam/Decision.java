package dev.chunkflow.local.iam;

/**
 * The outcome of evaluating a request: allowed by {@code statement}, denied explicitly by
 * {@code statement}, or denied implicitly (no statement allows it; {@code statement} null).
 */
public record Decision(Outcome outcome, Statement statement) {
    public enum Outcome { ALLOWED, EXPLICIT_DENY, IMPLICIT_DENY }

    public boolean allowed() {
        return outcome == Outcome.ALLOWED;
    }

    /** The tail of AWS's AccessDenied message: why it was denied. */
    public String reason(String action, boolean resourceBased) {
        if (outcome == Outcome.EXPLICIT_DENY) {
            return resourceBased ? "with an explicit deny in a resource-based policy"
                    : "with an explicit deny in an identity-based policy";
        }
        return "because no identity-based policy allows the " + action + " action";
    }
}
