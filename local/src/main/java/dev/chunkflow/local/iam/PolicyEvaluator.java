package dev.chunkflow.local.iam;

import java.util.List;

/**
 * IAM's evaluation logic for a principal and a resource of one account: an explicit {@code Deny} in
 * any applicable policy wins; otherwise an {@code Allow} in the identity-based policies or in the
 * resource-based policy (same account: either suffices) allows; otherwise the request is implicitly
 * denied. Permissions boundaries, SCPs and session policies are not part of the model.
 */
public final class PolicyEvaluator {
    private PolicyEvaluator() {
    }

    /**
     * @param identity      the principal's statements (role inline, SAM-expanded and managed policies)
     * @param resourceBased statements of the resource's policy that name this principal (e.g. a bucket policy)
     */
    public static Decision evaluate(List<Statement> identity, List<Statement> resourceBased, IamRequest request) {
        Statement allow = null;
        for (List<Statement> policies : List.of(identity, resourceBased)) {
            for (Statement s : policies) {
                if (!s.appliesTo(request)) {
                    continue;
                }
                if (s.effect() == Statement.Effect.Deny) {
                    return new Decision(Decision.Outcome.EXPLICIT_DENY, s);
                }
                if (allow == null) {
                    allow = s;
                }
            }
        }
        return allow != null ? new Decision(Decision.Outcome.ALLOWED, allow) : new Decision(Decision.Outcome.IMPLICIT_DENY, null);
    }

    public static Decision evaluate(List<Statement> identity, IamRequest request) {
        return evaluate(identity, List.of(), request);
    }
}
