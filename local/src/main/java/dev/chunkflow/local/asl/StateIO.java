package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A state's input and output processing in its query language, as pure functions of the data:
 * effective input, arguments to the state's work, and the state output built from its result.
 */
interface StateIO {
    /** What the state works on before arguments: InputPath applied (JSONPath) or the raw input. */
    JsonNode effectiveInput(JsonNode raw, Interpreter.StateRun run);

    /** Parameters (JSONPath) applied to the effective input; the effective input itself when there are none. */
    JsonNode arguments(JsonNode effective, Interpreter.StateRun run);

    /** The state output from its raw input and its result: ResultSelector, ResultPath and OutputPath (JSONPath). */
    JsonNode output(JsonNode raw, JsonNode result, Interpreter.StateRun run);

    /** The output of a state whose error was caught by {@code catcher}. */
    JsonNode caught(Catcher catcher, JsonNode raw, JsonNode errorOutput, Interpreter.StateRun run);
}
