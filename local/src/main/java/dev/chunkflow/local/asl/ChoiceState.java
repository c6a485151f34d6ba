package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

final class ChoiceState extends State {
    record Branch(ChoiceRule rule, String next) {
    }

    final List<Branch> choices = new ArrayList<>();
    final String defaultState;

    ChoiceState(String name, JsonNode def) {
        super(name, def, false, false, false, false);
        Fields f = new Fields(name, def);
        JsonNode list = def.get("Choices");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw f.error("Choices", "must be a non-empty array");
        }
        for (int i = 0; i < list.size(); i++) {
            JsonNode c = list.get(i);
            try {
                ChoiceRule rule = ChoiceRule.parse(c, "Choices[" + i + "]");
                JsonNode next = c.get("Next");
                if (next == null || !next.isTextual()) {
                    throw new IllegalArgumentException("Choices[" + i + "].Next is required");
                }
                choices.add(new Branch(rule, next.textValue()));
            } catch (DefinitionException e) {
                throw e;
            } catch (IllegalArgumentException e) {
                throw f.error("Choices", e.getMessage());
            }
        }
        this.defaultState = f.optString("Default");
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
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode eff = io.effectiveInput(raw, run);
        JsonNode ctx = run.context();
        String target = defaultState;
        for (Branch b : choices) {
            if (b.rule().eval(eff, ctx)) {
                target = b.next();
                break;
            }
        }
        if (target == null) {
            throw StatesFailure.terminal(StatesFailure.NO_CHOICE_MATCHED, "An error occurred while executing the state '"
                    + name + "' (entered at the event id #" + run.enteredEventId + "). No Choice Rules matched the input");
        }
        JsonNode out = io.output(raw, eff, run);
        in.exitEvent(run, out);
        return new Interpreter.Step(target, out);
    }
}
