package dev.chunkflow.local.asl;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An {@code Assign} field (of a state, a Choice rule or a Catcher), compiled in its query language:
 * a payload template (JSONPath: {@code name.$} keys take a path or intrinsic) or a JSONata template.
 * Every value is evaluated with the variables as they were on state entry; the caller assigns them.
 */
final class Assign {
    /** Unicode identifier, as AWS documents variable names. */
    static final int MAX_NAME_LENGTH = 80;

    private final PayloadTemplate jsonPath;
    private final JsonataTemplate jsonata;
    final Set<String> names;

    private Assign(PayloadTemplate jsonPath, JsonataTemplate jsonata, Set<String> names) {
        this.jsonPath = jsonPath;
        this.jsonata = jsonata;
        this.names = names;
    }

    /** The Assign field of {@code f}, or null when absent; the flags say which {@code $states} members it may read. */
    static Assign parse(Fields f, QueryLanguage ql, boolean resultAvailable, boolean errorOutputAvailable) {
        JsonNode def = f.def.get("Assign");
        if (def == null) {
            return null;
        }
        if (!def.isObject()) {
            throw f.error("Assign", "must be an object of variable names and values");
        }
        Set<String> names = new LinkedHashSet<>();
        var it = def.fieldNames();
        while (it.hasNext()) {
            String key = it.next();
            String name = ql == QueryLanguage.JSONPATH && key.endsWith(".$") ? key.substring(0, key.length() - 2) : key;
            if (!validName(name)) {
                throw f.error("Assign", "'" + name + "' is not a valid variable name (a Unicode identifier of at most "
                        + MAX_NAME_LENGTH + " characters; no parts of variables such as x.y or x[0])");
            }
            if ("states".equals(name)) {
                throw f.error("Assign", "'states' is reserved ($states)");
            }
            if (!names.add(name)) {
                throw f.error("Assign", "variable '" + name + "' is assigned twice");
            }
        }
        if (ql == QueryLanguage.JSONATA) {
            return new Assign(null, f.jsonata("Assign", resultAvailable, errorOutputAvailable), names);
        }
        return new Assign(f.template("Assign"), null, names);
    }

    static boolean validName(String name) {
        if (name.isEmpty() || name.length() > MAX_NAME_LENGTH || !Character.isUnicodeIdentifierStart(name.charAt(0))) {
            return false;
        }
        for (int i = 1; i < name.length(); i++) {
            if (!Character.isUnicodeIdentifierPart(name.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /**
     * The values to assign.
     *
     * @param source      what {@code $} is for a JSONPath Assign (the result, the effective input or the error output)
     * @param result      {@code $states.result} for JSONata (null where the state has none)
     * @param errorOutput {@code $states.errorOutput} for JSONata (in a Catcher)
     */
    Map<String, JsonNode> evaluate(Interpreter.StateRun run, JsonNode raw, JsonNode source, JsonNode result, JsonNode errorOutput) {
        JsonNode values = jsonata != null
                ? jsonata.apply(run.jsonata(raw, result, errorOutput))
                : jsonPath.apply(source, run.context());
        Map<String, JsonNode> out = new LinkedHashMap<>();
        values.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue()));
        return out;
    }
}
