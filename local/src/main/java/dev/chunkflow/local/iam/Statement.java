package dev.chunkflow.local.iam;

import java.util.List;

/**
 * One policy statement with every value resolved to text. {@code notAction}/{@code notResource} mean the
 * lists are {@code NotAction}/{@code NotResource}. {@code source} says where it came from, e.g.
 * {@code ProcessChunkRole/process-chunk#4}, for messages and the run report.
 */
public record Statement(Effect effect, List<String> actions, boolean notAction, List<String> resources,
                        boolean notResource, List<Condition> conditions, String source) {
    public enum Effect { Allow, Deny }

    public Statement {
        actions = List.copyOf(actions);
        resources = List.copyOf(resources);
        conditions = List.copyOf(conditions);
    }

    public static Statement allow(List<String> actions, List<String> resources, String source) {
        return new Statement(Effect.Allow, actions, false, resources, false, List.of(), source);
    }

    /** Whether this statement covers the request: action, resource and every condition. */
    public boolean appliesTo(IamRequest request) {
        return matchingAction(request.action()) != null && matchingResource(request.resource()) != null
                && conditions.stream().allMatch(c -> c.test(request));
    }

    /** The Action pattern that covers {@code action} ("NotAction" when covered by exclusion), else null. */
    public String matchingAction(String action) {
        for (String a : actions) {
            if (Wildcard.matches(a, action, true)) {
                return notAction ? null : a;
            }
        }
        return notAction ? "NotAction" : null;
    }

    /** The Resource pattern that covers {@code resource} ("NotResource" when covered by exclusion), else null. */
    public String matchingResource(String resource) {
        for (String r : resources) {
            if (Wildcard.matches(r, resource, false)) {
                return notResource ? null : r;
            }
        }
        return notResource ? "NotResource" : null;
    }
}
