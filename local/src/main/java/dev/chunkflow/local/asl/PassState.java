package dev.chunkflow.local.asl;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

final class PassState extends State {
    final JsonNode result;

    PassState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, true, true, true, false);
        this.result = def.get("Result");
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode args = io.arguments(io.effectiveInput(raw, run), run);
        if (args != raw) {
            in.checkPayload(run.scope, name, args, "parameters");
        }
        JsonNode r = result != null ? result : args;
        Map<String, JsonNode> assigned = assigned(run, raw, r, null);
        return in.exit(run, io.output(raw, r, run), assigned);
    }
}
