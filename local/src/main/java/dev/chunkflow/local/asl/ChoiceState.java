package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

final class ChoiceState extends State {
    /**
     * One Choice rule: a JSONPath rule or a JSONata Condition, with the Assign (and, JSONata, the Output)
     * that apply when it matches instead of the state's own.
     */
    record Branch(ChoiceRule rule, JsonataTemplate condition, String next, Assign assign, JsonataTemplate output) {
        boolean matches(JsonNode eff, JsonNode raw, Interpreter.StateRun run) {
            if (rule != null) {
                return rule.eval(eff, run.context());
            }
            return condition.apply(run.jsonata(raw, null, null), "boolean").booleanValue();
        }
    }

    final List<Branch> choices = new ArrayList<>();
    final String defaultState;

    ChoiceState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, false, false, false, false);
        Fields f = new Fields(name, def);
        JsonNode list = def.get("Choices");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw f.error("Choices", "must be a non-empty array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            Fields cf = new Fields(name, c, "Choices[" + i + "].");
            try {
                JsonNode next = c.get("Next");
                if (next == null || !next.isTextual()) {
                    throw new IllegalArgumentException("Choices[" + i + "].Next is required");
                }
                if (ql == QueryLanguage.JSONATA) {
                    JsonNode cond = c.get("Condition");
                    if (cond == null || !(cond.isBoolean() || cond.isTextual() && JsonataExpression.isExpression(cond.textValue()))) {
                        throw cf.error("Condition", "is required in a JSONata Choice rule: true, false or a {% %} expression");
                    }
                    choices.add(new Branch(null, cf.jsonata("Condition"), next.textValue(), Assign.parse(cf, ql, false, false),
                            cf.jsonata("Output")));
                } else {
                    if (c.has("Condition") || c.has("Output")) {
                        throw cf.error(c.has("Condition") ? "Condition" : "Output",
                                "is not allowed in a JSONPath state (set QueryLanguage to JSONata to use it)");
                    }
                    ChoiceRule rule = ChoiceRule.parse(c, "Choices[" + i + "]");
                    choices.add(new Branch(rule, null, next.textValue(), Assign.parse(cf, ql, false, false), null));
                }
            } catch (DefinitionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw f.error("Choices", e.getMessage());
            }
        }
        this.defaultState = f.optString("Default");
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode eff = io.effectiveInput(raw, run);
        Branch matched = null;
        for (Branch b : choices) {
            if (b.matches(eff, raw, run)) {
                matched = b;
                break;
            }
        }
        if (matched == null && defaultState == null) {
            throw StatesFailure.withFinalCause(StatesFailure.NO_CHOICE_MATCHED, "An error occurred while executing the state '"
                    + name + "' (entered at the event id #" + run.enteredEventId + "). No Choice Rules matched the input");
        }
        Assign a = matched != null && matched.assign() != null ? matched.assign() : assign;
        Map<String, JsonNode> assigned = a == null ? Map.of() : a.evaluate(run, raw, eff, null, null);
        JsonNode out;
        if (matched != null && matched.output() != null) {
            out = matched.output().apply(run.jsonata(raw, null, null));
        } else {
            out = io.output(raw, eff, run);
        }
        in.exitEvent(run, out, assigned);
        return new Interpreter.Step(matched != null ? matched.next() : defaultState, out);
    }

    @Override
    List<String> transitions() {
        List<String> t = new ArrayList<>();
        choices.forEach(c -> t.add(c.next()));
        if (defaultState != null) {
            t.add(defaultState);
        }
        return t;
    }

    @Override
    Set<String> assignedNames() {
        Set<String> names = new LinkedHashSet<>(super.assignedNames());
        choices.forEach(c -> {
            if (c.assign() != null) {
                names.addAll(c.assign().names);
            }
        });
        return names;
    }
}
