package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A field computed from a state's effective input in the state's query language: a JSONPath payload
 * template ({@code Parameters}-style) or a JSONata template ({@code Arguments}-style).
 */
@FunctionalInterface
interface FieldValue {
    JsonNode apply(JsonNode effective, Interpreter.StateRun run);

    /** {@code jsonPathField} (JSONPath) or {@code jsonataField} (JSONata) of {@code f}; null when absent. */
    static FieldValue of(Fields f, QueryLanguage ql, String jsonPathField, String jsonataField) {
        String wrong = ql == QueryLanguage.JSONATA ? jsonPathField : jsonataField;
        if (!jsonPathField.equals(jsonataField) && f.def.has(wrong)) {
            throw f.error(wrong, "is not allowed in a " + ql.asl + " state");
        }
        if (ql == QueryLanguage.JSONATA) {
            JsonataTemplate t = f.jsonata(jsonataField);
            return t == null ? null : (eff, run) -> t.apply(run.jsonata(eff, null, null));
        }
        PayloadTemplate t = f.template(jsonPathField);
        return t == null ? null : (eff, run) -> t.apply(eff, run.context());
    }
}
