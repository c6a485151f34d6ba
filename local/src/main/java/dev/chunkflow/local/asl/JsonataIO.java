package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Input and output processing of a JSONata state: the state works on its raw input ({@code $states.input}),
 * {@code Arguments} shapes what a Task or Parallel receives, {@code Output} shapes the state output
 * (default: the result of a Task, Map or Parallel, else the input).
 */
final class JsonataIO implements StateIO {
    final JsonataTemplate arguments;
    final JsonataTemplate output;
    /** Task, Map and Parallel have a result ({@code $states.result}); other states pass their input on. */
    private final boolean hasResult;

    JsonataIO(JsonataTemplate arguments, JsonataTemplate output, boolean hasResult) {
        this.arguments = arguments;
        this.output = output;
        this.hasResult = hasResult;
    }

    @Override
    public JsonNode effectiveInput(JsonNode raw, Interpreter.StateRun run) {
        return raw;
    }

    @Override
    public JsonNode arguments(JsonNode effective, Interpreter.StateRun run) {
        return arguments == null ? effective : arguments.apply(run.jsonata(effective, null, null));
    }

    @Override
    public JsonNode output(JsonNode raw, JsonNode result, Interpreter.StateRun run) {
        return output == null ? result : output.apply(run.jsonata(raw, hasResult ? result : null, null));
    }

    @Override
    public JsonNode caught(Catcher catcher, JsonNode raw, JsonNode errorOutput, Interpreter.StateRun run) {
        return catcher.output() == null ? errorOutput : catcher.output().apply(run.jsonata(raw, null, errorOutput));
    }
}
