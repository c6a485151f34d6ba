package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** Reads and checks one state's fields; every error names the state and the field. */
final class Fields {
    final String state;
    final JsonNode def;
    private final String prefix;

    Fields(String state, JsonNode def) {
        this(state, def, "");
    }

    Fields(String state, JsonNode def, String prefix) {
        this.state = state;
        this.def = def;
        this.prefix = prefix;
    }

    DefinitionException error(String field, String message) {
        return new DefinitionException("Invalid definition: state '" + state + "', field '" + prefix + field + "': " + message);
    }

    String optString(String field) {
        JsonNode n = def.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isTextual()) {
            throw error(field, "must be a string");
        }
        return n.textValue();
    }

    String requiredString(String field) {
        String s = optString(field);
        if (s == null) {
            throw error(field, "is required");
        }
        return s;
    }

    boolean bool(String field, boolean dflt) {
        JsonNode n = def.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isBoolean()) {
            throw error(field, "must be true or false");
        }
        return n.booleanValue();
    }

    int integer(String field, int dflt, int min) {
        JsonNode n = def.get(field);
        if (n == null) {
            return dflt;
        }
        if (!n.isIntegralNumber() || n.longValue() < min || n.longValue() > Integer.MAX_VALUE) {
            throw error(field, "must be an integer >= " + min);
        }
        return n.intValue();
    }

    Double number(String field, double min, double max) {
        JsonNode n = def.get(field);
        if (n == null) {
            return null;
        }
        if (!n.isNumber() || n.doubleValue() < min || n.doubleValue() > max) {
            throw error(field, "must be a number between " + min + " and " + max);
        }
        return n.doubleValue();
    }

    /** A path field: absent -> "$", JSON null -> {@link JsonPathIO.NULL_PATH}. */
    String path(String field) {
        JsonNode n = def.get(field);
        if (n == null) {
            return "$";
        }
        if (n.isNull()) {
            return JsonPathIO.NULL_PATH;
        }
        if (!n.isTextual()) {
            throw error(field, "must be a path string or null");
        }
        try {
            JsonPaths.validate(n.textValue());
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
        return n.textValue();
    }

    /** A path or intrinsic function (Fail's ErrorPath/CausePath); null when absent. */
    String pathOrIntrinsic(String field) {
        String s = optString(field);
        if (s == null) {
            return null;
        }
        try {
            if (Intrinsics.looksLikeCall(s)) {
                Intrinsics.parse(s);
            } else {
                JsonPaths.validate(s);
            }
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
        return s;
    }

    /** A path that must be definite and may not use $$ (ResultPath). */
    String referencePath(String field) {
        String p = path(field);
        if (JsonPathIO.NULL_PATH.equals(p) || "$".equals(p)) {
            return p;
        }
        try {
            if (JsonPaths.isContextPath(p)) {
                throw new IllegalArgumentException("cannot refer to the context object");
            }
            JsonPaths.referenceSegments(p);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
        return p;
    }

    PayloadTemplate template(String field) {
        JsonNode n = def.get(field);
        if (n == null) {
            return null;
        }
        try {
            return PayloadTemplate.compile(n);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
    }

    /** A JSONata field value ({@code {% %}} strings are expressions) that cannot read $states.result or errorOutput; null when absent. */
    JsonataTemplate jsonata(String field) {
        return jsonata(field, false, false);
    }

    /**
     * A JSONata field value; null when absent. Reading {@code $states.result} where the state has no
     * result, or {@code $states.errorOutput} outside a Catch, is a definition error, as AWS reports it.
     */
    JsonataTemplate jsonata(String field, boolean resultAvailable, boolean errorOutputAvailable) {
        JsonNode n = def.get(field);
        if (n == null) {
            return null;
        }
        JsonataTemplate t;
        try {
            t = JsonataTemplate.compile(n, prefix.isEmpty() ? field : prefix.replace('.', '/') + field);
        } catch (IllegalArgumentException e) {
            throw error(field, e.getMessage());
        }
        if (!resultAvailable && t.readsStates("result")) {
            throw error(field, "$states.result is not available here (only in the Output and Assign of Task, Map and Parallel states)");
        }
        if (!errorOutputAvailable && t.readsStates("errorOutput")) {
            throw error(field, "$states.errorOutput is not available here (only in the Output and Assign of a Catch)");
        }
        return t;
    }

    List<String> errorEquals(boolean isLast) {
        JsonNode n = def.get("ErrorEquals");
        if (n == null || !n.isArray() || n.isEmpty()) {
            throw error("ErrorEquals", "must be a non-empty array of error names");
        }
        List<String> out = new ArrayList<>();
        for (JsonNode e : n) {
            if (!e.isTextual()) {
                throw error("ErrorEquals", "must contain strings");
            }
            out.add(e.textValue());
        }
        if (out.contains(StatesFailure.ALL) && (out.size() > 1 || !isLast)) {
            throw error("ErrorEquals", "States.ALL must appear alone and in the last entry");
        }
        return out;
    }
}
