package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class PassState extends State {
    final JsonNode result;

    PassState(String name, JsonNode def) {
        super(name, def, true, true, true, false);
        this.result = def.get("Result");
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode args = io.arguments(io.effectiveInput(raw, run), run);
        if (args != raw) {
            in.checkPayload(run.scope, name, args, "parameters");
        }
        return in.exit(run, io.output(raw, result != null ? result : args, run));
    }
}
