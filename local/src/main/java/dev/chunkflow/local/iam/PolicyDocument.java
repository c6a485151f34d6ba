package dev.chunkflow.local.iam;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Reads an IAM policy document whose values are already plain text (intrinsics rendered) into
 * {@link Statement}s: {@code Effect}, {@code Action}/{@code NotAction}, {@code Resource}/{@code NotResource}
 * (a string or a list), {@code Condition}. {@code Principal} is returned for resource-based policies.
 */
public final class PolicyDocument {
    private PolicyDocument() {
    }

    /** A statement of a resource-based policy with the principals it names ({@code "*"} for everyone). */
    public record ResourceStatement(Statement statement, List<String> principals) {
    }

    public static List<Statement> statements(Object document, String where) {
        return resourceStatements(document, where, false).stream().map(ResourceStatement::statement).toList();
    }

    public static List<ResourceStatement> resourceStatements(Object document, String where, boolean withPrincipal) {
        Map<String, Object> doc = map(document, where);
        Object raw = doc.get("Statement");
        if (raw == null) {
            throw new IamPolicyException(where + ": policy document has no Statement");
        }
        List<Object> list = raw instanceof List<?> l ? new ArrayList<>(l) : List.of(raw);
        List<ResourceStatement> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(statement(map(list.get(i), where + "#" + i), where + "#" + i, withPrincipal));
        }
        return out;
    }

    private static ResourceStatement statement(Map<String, Object> s, String where, boolean withPrincipal) {
        String sid = s.get("Sid") instanceof String id ? id : null;
        String source = sid == null ? where : where + " (" + sid + ")";
        Object effect = s.get("Effect");
        if (!"Allow".equals(effect) && !"Deny".equals(effect)) {
            throw new IamPolicyException(source + ": Effect must be Allow or Deny, got " + effect);
        }
        boolean notAction = s.containsKey("NotAction");
        boolean notResource = s.containsKey("NotResource");
        if (notAction == s.containsKey("Action")) {
            throw new IamPolicyException(source + ": a statement needs exactly one of Action and NotAction");
        }
        if (notResource == s.containsKey("Resource")) {
            throw new IamPolicyException(source + ": a statement needs exactly one of Resource and NotResource"
                    + " (identity-based policies)");
        }
        List<String> actions = strings(s.get(notAction ? "NotAction" : "Action"), source + ".Action");
        List<String> resources = strings(s.get(notResource ? "NotResource" : "Resource"), source + ".Resource");
        List<Condition> conditions = new ArrayList<>();
        map(s.get("Condition"), source + ".Condition").forEach((op, keys) ->
                map(keys, source + ".Condition." + op).forEach((key, values) ->
                        conditions.add(new Condition(op, key, strings(values, source + ".Condition." + op + "." + key)))));
        List<String> principals = List.of();
        if (withPrincipal) {
            Object p = s.get("Principal");
            if ("*".equals(p)) {
                principals = List.of("*");
            } else if (p instanceof Map<?, ?> pm) {
                List<String> all = new ArrayList<>();
                pm.forEach((k, v) -> all.addAll(strings(v, source + ".Principal." + k)));
                principals = all;
            }
        }
        return new ResourceStatement(new Statement(Statement.Effect.valueOf((String) effect), actions, notAction,
                resources, notResource, conditions, source), principals);
    }

    private static List<String> strings(Object o, String where) {
        if (o instanceof String s) {
            return List.of(s);
        }
        if (o instanceof List<?> l && l.stream().allMatch(v -> v instanceof String || v instanceof Number || v instanceof Boolean)) {
            return l.stream().map(String::valueOf).toList();
        }
        if (o instanceof Number || o instanceof Boolean) {
            return List.of(String.valueOf(o));
        }
        throw new IamPolicyException(where + ": expected a string or a list of strings, got " + o);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o, String where) {
        if (o == null) {
            return Map.of();
        }
        if (!(o instanceof Map<?, ?>)) {
            throw new IamPolicyException(where + ": expected a mapping, got " + o);
        }
        return (Map<String, Object>) o;
    }
}
