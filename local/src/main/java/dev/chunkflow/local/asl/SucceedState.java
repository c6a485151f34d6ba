package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class SucceedState extends State {
    SucceedState(String name, JsonNode def) {
        super(name, def, false, false, false, false);
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        return in.exit(run, io.output(raw, io.effectiveInput(raw, run), run));
    }
}
