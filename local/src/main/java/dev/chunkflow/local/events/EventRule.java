package dev.chunkflow.local.events;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.template.TemplateException;
import dev.chunkflow.local.template.TemplateValue;

/**
 * One {@code AWS::Events::Rule} of the template, as EventBridge applies it to an event: the pattern
 * (exact values, {@code numeric} comparisons, {@code exists}, nested objects) and, per target, the
 * InputTransformer (InputPathsMap with dot paths; InputTemplate with unquoted {@code <variable>}s, each
 * replaced by the value's JSON, or {@code null} when the path is absent).
 */
public final class EventRule {
    private static final Pattern PLACEHOLDER = Pattern.compile("<([A-Za-z0-9_.-]+)>");

    /** A rule target: the function ARN and the input it gets. */
    public record Target(String arn, Map<String, String> inputPaths, String inputTemplate) {
        /** The target's input for an event: the transformed template, or the whole event without a transformer. */
        public String input(JsonNode event) {
            if (inputTemplate == null) {
                return AslJson.write(event);
            }
            Matcher m = PLACEHOLDER.matcher(inputTemplate);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String path = inputPaths.get(m.group(1));
                if (path == null) {
                    throw new TemplateException("InputTemplate names <" + m.group(1) + ">, which InputPathsMap does not define");
                }
                JsonNode v = at(event, path);
                m.appendReplacement(out, Matcher.quoteReplacement(v == null || v.isMissingNode() ? "null" : AslJson.write(v)));
            }
            m.appendTail(out);
            return out.toString();
        }
    }

    private final String logicalId;
    private final JsonNode pattern;
    private final List<Target> targets;

    EventRule(String logicalId, JsonNode pattern, List<Target> targets) {
        this.logicalId = logicalId;
        this.pattern = pattern;
        this.targets = targets;
    }

    /** Reads the rule's properties, references rendered with {@code resolver}. */
    @SuppressWarnings("unchecked")
    static EventRule fromTemplate(String logicalId, Map<String, Object> properties, TemplateValue.Resolver resolver) {
        Object pattern = properties.get("EventPattern");
        if (!(pattern instanceof Map)) {
            throw new TemplateException(logicalId + ": EventPattern must be an object");
        }
        List<Target> targets = new ArrayList<>();
        Object raw = properties.get("Targets");
        if (raw instanceof List<?> list) {
            for (Object t : list) {
                Map<String, Object> target = (Map<String, Object>) t;
                String arn = TemplateValue.of(target.get("Arn"), logicalId + ".Targets.Arn").render(resolver);
                Map<String, Object> transformer = (Map<String, Object>) target.get("InputTransformer");
                Map<String, String> paths = new LinkedHashMap<>();
                String template = null;
                if (transformer != null) {
                    ((Map<String, Object>) transformer.getOrDefault("InputPathsMap", Map.of()))
                            .forEach((k, v) -> paths.put(k, String.valueOf(v)));
                    template = String.valueOf(transformer.get("InputTemplate"));
                }
                targets.add(new Target(arn, paths, template));
            }
        }
        return new EventRule(logicalId, AslJson.MAPPER.valueToTree(render(pattern, resolver, logicalId)), targets);
    }

    /** Intrinsics inside a pattern (e.g. {@code !Ref EtlStateMachine}) become their local values. */
    private static Object render(Object v, TemplateValue.Resolver resolver, String where) {
        if (v instanceof Map<?, ?> m) {
            if (m.size() == 1 && String.valueOf(m.keySet().iterator().next()).matches("Ref|Fn::.*")) {
                return TemplateValue.of(v, where).render(resolver);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), render(x, resolver, where + "." + k)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(render(x, resolver, where)));
            return out;
        }
        return v;
    }

    public String logicalId() {
        return logicalId;
    }

    public List<Target> targets() {
        return targets;
    }

    public boolean matches(JsonNode event) {
        return matches(pattern, event);
    }

    private static boolean matches(JsonNode pattern, JsonNode value) {
        for (var it = pattern.fields(); it.hasNext(); ) {
            var f = it.next();
            JsonNode v = value == null ? null : value.get(f.getKey());
            JsonNode p = f.getValue();
            if (p.isObject()) {
                if (v == null || !v.isObject() || !matches(p, v)) {
                    return false;
                }
            } else if (!anyMatches(p, v)) {
                return false;
            }
        }
        return true;
    }

    /** A list of allowed values: exact values or one-key filter objects ({@code numeric}, {@code exists}). */
    private static boolean anyMatches(JsonNode allowed, JsonNode v) {
        for (JsonNode a : allowed) {
            if (a.isObject() && a.has("exists")) {
                if (a.get("exists").asBoolean() == (v != null && !v.isNull())) {
                    return true;
                }
            } else if (a.isObject() && a.has("numeric")) {
                if (v != null && v.isNumber() && numeric(a.get("numeric"), v.asDouble())) {
                    return true;
                }
            } else if (v != null && (a.isNumber() && v.isNumber() ? a.asDouble() == v.asDouble() : a.equals(v))) {
                return true;
            }
        }
        return false;
    }

    private static boolean numeric(JsonNode ops, double x) {
        for (int i = 0; i + 1 < ops.size(); i += 2) {
            double n = ops.get(i + 1).asDouble();
            boolean ok = switch (ops.get(i).asText()) {
                case ">" -> x > n;
                case ">=" -> x >= n;
                case "<" -> x < n;
                case "<=" -> x <= n;
                case "=" -> x == n;
                default -> throw new TemplateException("numeric operator " + ops.get(i).asText() + " is not one EventBridge knows");
            };
            if (!ok) {
                return false;
            }
        }
        return true;
    }

    /** {@code $.a.b-c.d}: EventBridge's dot paths. */
    private static JsonNode at(JsonNode event, String path) {
        if (!path.startsWith("$")) {
            throw new TemplateException("InputPathsMap path must start with $: " + path);
        }
        JsonNode n = event;
        for (String part : path.substring(1).split("\\.")) {
            if (part.isEmpty()) {
                continue;
            }
            n = n == null ? null : n.get(part);
        }
        return n;
    }
}
