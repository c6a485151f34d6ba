package dev.chunkflow.local.asl;

import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed and validated state machine definition (JSONPath and JSONata query languages, variables). */
public final class StateMachine {
    final StatesBlock top;
    final Integer timeoutSeconds;
    private final JsonNode definition;

    private StateMachine(StatesBlock top, Integer timeoutSeconds, JsonNode definition) {
        this.top = top;
        this.timeoutSeconds = timeoutSeconds;
        this.definition = definition;
    }

    /** @throws DefinitionException naming the state and field when the definition is not valid ASL */
    public static StateMachine parse(String json) {
        JsonNode def;
        try {
            def = AslJson.parse(json);
        } catch (IllegalArgumentException e) {
            throw new DefinitionException("Invalid definition: " + e.getMessage());
        }
        return parse(def);
    }

    public static StateMachine parse(JsonNode def) {
        if (def == null || !def.isObject()) {
            throw new DefinitionException("Invalid definition: must be a JSON object");
        }
        QueryLanguage ql = QueryLanguage.of(def.get("QueryLanguage"), QueryLanguage.JSONPATH);
        if (ql == null) {
            throw new DefinitionException("Invalid definition: field 'QueryLanguage' must be JSONPath or JSONata");
        }
        JsonNode version = def.get("Version");
        if (version != null && !"1.0".equals(version.asText())) {
            throw new DefinitionException("Invalid definition: field 'Version' must be \"1.0\"");
        }
        JsonNode timeout = def.get("TimeoutSeconds");
        if (timeout != null && (!timeout.isIntegralNumber() || timeout.longValue() < 1)) {
            throw new DefinitionException("Invalid definition: field 'TimeoutSeconds' must be a positive integer");
        }
        StatesBlock top = StatesBlock.parse(def, "the state machine", ql);
        top.checkVariableScopes(Set.of());
        return new StateMachine(top, timeout == null ? null : timeout.intValue(), def);
    }

    public JsonNode definition() {
        return definition.deepCopy();
    }
}
