package dev.chunkflow.local.template;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A property value of the template, with intrinsic functions kept symbolic (nothing is deployed, so
 * there is nothing to resolve them against). {@link #render(Resolver)} turns one into a string with a
 * caller-supplied meaning for references, e.g. the local runner's bucket and table names.
 */
public sealed interface TemplateValue {

    /** Meaning of references when rendering: {@code Ref} targets (parameters, resources, pseudo parameters like AWS::Region) and {@code GetAtt}. */
    interface Resolver {
        String ref(String name);

        String getAtt(String logicalId, String attribute);
    }

    String render(Resolver resolver);

    /** The logical id (or parameter) this value refers to, when it is a single reference. */
    default Optional<String> referencedLogicalId() {
        return Optional.empty();
    }

    /** A plain scalar (numbers and booleans as their YAML text). */
    record Literal(String text) implements TemplateValue {
        @Override
        public String render(Resolver resolver) {
            return text;
        }
    }

    /**
     * {@code !Ref target}. SAM allows {@code !Ref Function.Alias} / {@code .Version}: {@link #logicalId()}
     * is the part before the dot, {@link #samAttribute()} the part after it.
     */
    record Ref(String target) implements TemplateValue {
        public String logicalId() {
            int dot = target.indexOf('.');
            return dot < 0 ? target : target.substring(0, dot);
        }

        public Optional<String> samAttribute() {
            int dot = target.indexOf('.');
            return dot < 0 ? Optional.empty() : Optional.of(target.substring(dot + 1));
        }

        @Override
        public Optional<String> referencedLogicalId() {
            return Optional.of(logicalId());
        }

        @Override
        public String render(Resolver resolver) {
            return resolver.ref(target);
        }
    }

    /** {@code !GetAtt logicalId.attribute}. */
    record GetAtt(String logicalId, String attribute) implements TemplateValue {
        @Override
        public Optional<String> referencedLogicalId() {
            return Optional.of(logicalId);
        }

        @Override
        public String render(Resolver resolver) {
            return resolver.getAtt(logicalId, attribute);
        }
    }

    /** {@code !Sub template} or {@code !Sub [template, {name: value}]}. */
    record Sub(String template, Map<String, TemplateValue> variables) implements TemplateValue {
        private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^}!][^}]*)}");

        public Sub {
            variables = Map.copyOf(variables);
        }

        /** The names inside {@code ${...}} (literal {@code ${!x}} escapes excluded). */
        public List<String> placeholders() {
            List<String> names = new ArrayList<>();
            Matcher m = PLACEHOLDER.matcher(template);
            while (m.find()) {
                names.add(m.group(1));
            }
            return names;
        }

        @Override
        public Optional<String> referencedLogicalId() {
            List<String> names = placeholders();
            if (names.size() != 1 || !template.equals("${" + names.get(0) + "}") || variables.containsKey(names.get(0))) {
                return Optional.empty();
            }
            String name = names.get(0);
            int dot = name.indexOf('.');
            return Optional.of(dot < 0 ? name : name.substring(0, dot));
        }

        @Override
        public String render(Resolver resolver) {
            Matcher m = PLACEHOLDER.matcher(template);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String name = m.group(1);
                String value;
                if (variables.containsKey(name)) {
                    value = variables.get(name).render(resolver);
                } else if (name.contains(".") && !name.startsWith("AWS::")) {
                    int dot = name.indexOf('.');
                    value = resolver.getAtt(name.substring(0, dot), name.substring(dot + 1));
                } else {
                    value = resolver.ref(name);
                }
                m.appendReplacement(out, Matcher.quoteReplacement(value));
            }
            m.appendTail(out);
            return out.toString().replace("${!", "${");
        }
    }

    /** Any other intrinsic ({@code Fn::If}, {@code Fn::Join}, ...), kept as parsed. */
    record Intrinsic(String function, Object argument) implements TemplateValue {
        @Override
        public String render(Resolver resolver) {
            throw new TemplateException("cannot render " + function + " locally: " + argument);
        }
    }

    /**
     * A parsed structure (maps, lists, scalars, intrinsics anywhere inside) with every intrinsic rendered by
     * {@code resolver} and every scalar as text: e.g. an IAM policy document ready to evaluate.
     */
    static Object renderTree(Object raw, Resolver resolver, String where) {
        if (raw == null) {
            return null;
        }
        if (raw instanceof Map<?, ?> map) {
            if (SamTemplate.isIntrinsic(map)) {
                return of(raw, where).render(resolver);
            }
            Map<String, Object> out = new LinkedHashMap<>();
            map.forEach((k, v) -> out.put(String.valueOf(k), renderTree(v, resolver, where + "." + k)));
            return out;
        }
        if (raw instanceof List<?> list) {
            List<Object> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(renderTree(list.get(i), resolver, where + "[" + i + "]"));
            }
            return out;
        }
        return String.valueOf(raw);
    }

    /** Classifies one parsed YAML value. */
    public static TemplateValue of(Object raw, String where) {
        if (raw == null) {
            throw new TemplateException(where + ": value is empty");
        }
        if (raw instanceof String || raw instanceof Number || raw instanceof Boolean) {
            return new Literal(String.valueOf(raw));
        }
        if (raw instanceof Map<?, ?> map && map.size() == 1) {
            Map.Entry<?, ?> e = map.entrySet().iterator().next();
            String fn = String.valueOf(e.getKey());
            Object arg = e.getValue();
            switch (fn) {
                case "Ref" -> {
                    return new Ref(String.valueOf(arg));
                }
                case "Fn::GetAtt" -> {
                    if (arg instanceof List<?> list && list.size() == 2) {
                        return new GetAtt(String.valueOf(list.get(0)), String.valueOf(list.get(1)));
                    }
                    if (arg instanceof String s && s.indexOf('.') > 0) {
                        return new GetAtt(s.substring(0, s.indexOf('.')), s.substring(s.indexOf('.') + 1));
                    }
                    throw new TemplateException(where + ": Fn::GetAtt needs [LogicalId, Attribute], got " + arg);
                }
                case "Fn::Sub" -> {
                    if (arg instanceof String s) {
                        return new Sub(s, Map.of());
                    }
                    if (arg instanceof List<?> list && list.size() == 2 && list.get(0) instanceof String s
                            && list.get(1) instanceof Map<?, ?> vars) {
                        Map<String, TemplateValue> values = new LinkedHashMap<>();
                        vars.forEach((k, v) -> values.put(String.valueOf(k), of(v, where + "." + k)));
                        return new Sub(s, values);
                    }
                    throw new TemplateException(where + ": Fn::Sub needs a string or [string, {variables}], got " + arg);
                }
                default -> {
                    if (fn.startsWith("Fn::") || fn.equals("Condition")) {
                        return new Intrinsic(fn, arg);
                    }
                }
            }
        }
        throw new TemplateException(where + ": expected a scalar or an intrinsic function, got " + raw);
    }
}
