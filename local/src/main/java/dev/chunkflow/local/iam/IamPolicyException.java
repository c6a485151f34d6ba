package dev.chunkflow.local.iam;

/** A policy the local IAM model cannot read: names where (role, policy, statement) and what is wrong. */
public final class IamPolicyException extends RuntimeException {
    public IamPolicyException(String message) {
        super(message);
    }
}
