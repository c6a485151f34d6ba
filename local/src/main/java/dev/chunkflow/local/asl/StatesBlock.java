package dev.chunkflow.local.asl;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A StartAt + States pair: the top level, a Parallel branch or a Map's ItemProcessor. */
final class StatesBlock {
    final String startAt;
    final Map<String, State> states;

    private StatesBlock(String startAt, Map<String, State> states) {
        this.startAt = startAt;
        this.states = states;
    }

    /**
     * Rejects a variable assigned both in this block and in an enclosing scope (AWS: a name assigned in
     * one scope cannot be assigned in another), then checks the inner blocks with this scope's names added.
     */
    void checkVariableScopes(Set<String> outer) {
        Set<String> here = new HashSet<>();
        for (State s : states.values()) {
            for (String v : s.assignedNames()) {
                if (outer.contains(v)) {
                    throw new DefinitionException("Invalid definition: state '" + s.name + "', field 'Assign': variable '"
                            + v + "' is already assigned in an outer scope; an inner scope (Map, Parallel) cannot assign it");
                }
                here.add(v);
            }
        }
        Set<String> all = new HashSet<>(outer);
        all.addAll(here);
        for (State s : states.values()) {
            for (StatesBlock inner : s.innerBlocks()) {
                inner.checkVariableScopes(all);
            }
        }
    }

    State start() {
        return states.get(startAt);
    }

    /** @param inherited the query language of states that do not name one (the definition's) */
    static StatesBlock parse(JsonNode def, String where, QueryLanguage inherited) {
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
            parsed.put(e.getKey(), parseState(e.getKey(), e.getValue(), inherited));
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

    private static State parseState(String name, JsonNode def, QueryLanguage inherited) {
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
        return switch (type.textValue()) {
            case "Pass" -> new PassState(name, def, inherited);
            case "Task" -> new TaskState(name, def, inherited);
            case "Choice" -> new ChoiceState(name, def, inherited);
            case "Wait" -> new WaitState(name, def, inherited);
            case "Succeed" -> new SucceedState(name, def, inherited);
            case "Fail" -> new FailState(name, def, inherited);
            case "Parallel" -> new ParallelState(name, def, inherited);
            case "Map" -> new MapState(name, def, inherited);
            default -> throw new DefinitionException("Invalid definition: state '" + name + "', field 'Type': unknown type '"
                    + type.textValue() + "'");
        };
    }
}
