package dev.chunkflow.local.asl;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/** A StartAt + States pair: the top level, a Parallel branch or a Map's ItemProcessor. */
final class StatesBlock {
    final String startAt;
    final Map<String, State> states;

    private StatesBlock(String startAt, Map<String, State> states) {
        this.startAt = startAt;
        this.states = states;
    }

    State start() {
        return states.get(startAt);
    }

    static StatesBlock parse(JsonNode def, String where) {
        if (def == null || !def.isObject()) {
            throw new DefinitionException("Invalid definition: " + where + " must be an object with StartAt and States");
        }
        JsonNode startAt = def.get("StartAt");
        JsonNode states = def.get("States");
        if (startAt == null || !startAt.isTextual()) {
            throw new DefinitionException("Invalid definition: " + where + ": field 'StartAt' is required");
        }
        if (states == null || !states.isObject() || states.isEmpty()) {
            throw new DefinitionException("Invalid definition: " + where + ": field 'States' must be a non-empty object");
        }
        Map<String, State> parsed = new LinkedHashMap<>();
        var it = states.fields();
        while (it.hasNext()) {
            var e = it.next();
            parsed.put(e.getKey(), parseState(e.getKey(), e.getValue()));
        }
        if (!parsed.containsKey(startAt.textValue())) {
            throw new DefinitionException("Invalid definition: " + where + ": StartAt '" + startAt.textValue()
                    + "' is not one of its States");
        }
        for (State s : parsed.values()) {
            for (String t : s.transitions()) {
                if (!parsed.containsKey(t)) {
                    throw new DefinitionException("Invalid definition: state '" + s.name + "' transitions to '" + t
                            + "', which is not a state of " + where);
                }
            }
        }
        return new StatesBlock(startAt.textValue(), parsed);
    }

    private static State parseState(String name, JsonNode def) {
        if (name.length() > 80) {
            throw new DefinitionException("Invalid definition: state name '" + name + "' is longer than 80 characters");
        }
        if (!def.isObject()) {
            throw new DefinitionException("Invalid definition: state '" + name + "' must be an object");
        }
        JsonNode type = def.get("Type");
        if (type == null || !type.isTextual()) {
            throw new DefinitionException("Invalid definition: state '" + name + "', field 'Type' is required");
        }
        JsonNode ql = def.get("QueryLanguage");
        if (ql != null && !"JSONPath".equals(ql.asText())) {
            throw new DefinitionException("Invalid definition: state '" + name + "', field 'QueryLanguage': only JSONPath is supported by the local engine");
        }
        return switch (type.textValue()) {
            case "Pass" -> new PassState(name, def);
            case "Task" -> new TaskState(name, def);
            case "Choice" -> new ChoiceState(name, def);
            case "Wait" -> new WaitState(name, def);
            case "Succeed" -> new SucceedState(name, def);
            case "Fail" -> new FailState(name, def);
            case "Parallel" -> new ParallelState(name, def);
            case "Map" -> new MapState(name, def);
            default -> throw new DefinitionException("Invalid definition: state '" + name + "', field 'Type': unknown type '"
                    + type.textValue() + "'");
        };
    }
}
