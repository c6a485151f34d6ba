package dev.chunkflow.local.iam;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.chunkflow.common.Json;

/**
 * SAM policy templates ({@code - S3ReadPolicy: {BucketName: !Ref B}} in a function's or state machine's
 * {@code Policies}), expanded as the SAM translator does: the template's {@code Definition} with every
 * {@code {"Ref": Parameter}} replaced by the value given, intrinsics left for the caller to render.
 * The definitions are SAM's own ({@code sam-policy-templates.json}, in samtranslator's format, for the
 * templates listed there; a test holds them to the installed translator's copy).
 */
public final class SamPolicyTemplates {
    private static final Map<String, Template> TEMPLATES = load();

    private record Template(List<String> parameters, Object definition) {
    }

    private SamPolicyTemplates() {
    }

    public static boolean isTemplate(String name) {
        return TEMPLATES.containsKey(name);
    }

    public static java.util.Set<String> names() {
        return new TreeSet<>(TEMPLATES.keySet());
    }

    /**
     * The policy document {@code name} expands to with {@code parameters} (values as parsed).
     *
     * @throws IamPolicyException naming the template when it is unknown or a parameter is missing or extra
     */
    public static Object expand(String name, Object parameters, String where) {
        Template t = TEMPLATES.get(name);
        if (t == null) {
            throw new IamPolicyException(where + ": unknown SAM policy template " + name
                    + " (the local IAM model knows " + names() + ")");
        }
        Map<String, Object> values = new LinkedHashMap<>();
        if (parameters instanceof Map<?, ?> m) {
            m.forEach((k, v) -> values.put(String.valueOf(k), v));
        } else if (parameters != null && !(parameters instanceof String s && s.isEmpty())) {
            throw new IamPolicyException(where + ": " + name + " takes a mapping of parameters " + t.parameters() + ", got " + parameters);
        }
        for (String p : t.parameters()) {
            if (!values.containsKey(p)) {
                throw new IamPolicyException(where + ": SAM policy template " + name + " needs parameter " + p);
            }
        }
        for (String given : values.keySet()) {
            if (!t.parameters().contains(given)) {
                throw new IamPolicyException(where + ": SAM policy template " + name + " has no parameter " + given
                        + " (parameters: " + t.parameters() + ")");
            }
        }
        return substitute(t.definition(), values);
    }

    private static Object substitute(Object node, Map<String, Object> values) {
        if (node instanceof Map<?, ?> m) {
            if (m.size() == 1 && m.get("Ref") instanceof String ref && values.containsKey(ref)) {
                return values.get(ref);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, v) -> out.put(String.valueOf(k), substitute(v, values)));
            return out;
        }
        if (node instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(v -> out.add(substitute(v, values)));
            return out;
        }
        return node;
    }

    private static Map<String, Template> load() {
        try (InputStream in = SamPolicyTemplates.class.getResourceAsStream("sam-policy-templates.json")) {
            if (in == null) {
                throw new IllegalStateException("sam-policy-templates.json is missing from the classpath");
            }
            Map<String, Object> root = Json.MAPPER.readValue(in, new TypeReference<Map<String, Object>>() { });
            Map<String, Template> out = new LinkedHashMap<>();
            @SuppressWarnings("unchecked")
            Map<String, Map<String, Object>> templates = (Map<String, Map<String, Object>>) root.get("Templates");
            templates.forEach((name, t) -> {
                @SuppressWarnings("unchecked")
                Map<String, Object> params = (Map<String, Object>) t.get("Parameters");
                out.put(name, new Template(List.copyOf(params.keySet()), t.get("Definition")));
            });
            return out;
        } catch (IOException e) {
            throw new IllegalStateException("cannot read sam-policy-templates.json: " + e.getMessage(), e);
        }
    }
}
