package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/** The query language of a definition or state ({@code QueryLanguage}); JSONPath when not given. */
enum QueryLanguage {
    JSONPATH("JSONPath"), JSONATA("JSONata");

    final String asl;

    QueryLanguage(String asl) {
        this.asl = asl;
    }

    /** The field's value, or {@code inherited} when absent; null when it names no query language. */
    static QueryLanguage of(JsonNode field, QueryLanguage inherited) {
        if (field == null) {
            return inherited;
        }
        for (QueryLanguage q : values()) {
            if (field.isTextual() && q.asl.equals(field.textValue())) {
                return q;
            }
        }
        return null;
    }
}
