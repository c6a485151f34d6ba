package dev.chunkflow.local.asl;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

final class SucceedState extends State {
    SucceedState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, false, false, false, false);
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        return in.exit(run, io.output(raw, io.effectiveInput(raw, run), run), Map.of());
    }
}
