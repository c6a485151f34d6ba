package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Input and output processing of a JSONPath state, in the documented order: InputPath, Parameters,
 * the state's work, ResultSelector, ResultPath, OutputPath.
 */
final class JsonPathIO implements StateIO {
    /** Marks a path field set to JSON null (InputPath: null means {}, ResultPath: null discards). */
    static final String NULL_PATH = "\u0000null";

    final String inputPath;
    final String outputPath;
    final String resultPath;
    final PayloadTemplate parameters;
    final PayloadTemplate resultSelector;

    JsonPathIO(String inputPath, String outputPath, String resultPath, PayloadTemplate parameters, PayloadTemplate resultSelector) {
        this.inputPath = inputPath;
        this.outputPath = outputPath;
        this.resultPath = resultPath;
        this.parameters = parameters;
        this.resultSelector = resultSelector;
    }

    @Override
    public JsonNode effectiveInput(JsonNode raw, Interpreter.StateRun run) {
        if (NULL_PATH.equals(inputPath)) {
            return AslJson.NODES.objectNode();
        }
        return "$".equals(inputPath) ? raw : JsonPaths.require(inputPath, raw, run.context());
    }

    @Override
    public JsonNode arguments(JsonNode effective, Interpreter.StateRun run) {
        return parameters == null ? effective : parameters.apply(effective, run.context());
    }

    @Override
    public JsonNode output(JsonNode raw, JsonNode result, Interpreter.StateRun run) {
        JsonNode selected = resultSelector == null ? result : resultSelector.apply(result, run.context());
        return outputPath(resultPath(resultPath, raw, selected), run);
    }

    @Override
    public JsonNode caught(Catcher catcher, JsonNode raw, JsonNode errorOutput, Interpreter.StateRun run) {
        return catcher.resultPathNull() ? raw : resultPath(catcher.resultPath() == null ? "$" : catcher.resultPath(), raw, errorOutput);
    }

    static JsonNode resultPath(String path, JsonNode raw, JsonNode result) {
        if (NULL_PATH.equals(path)) {
            return raw;
        }
        return "$".equals(path) ? result : JsonPaths.set(path, raw, result);
    }

    private JsonNode outputPath(JsonNode out, Interpreter.StateRun run) {
        if (NULL_PATH.equals(outputPath)) {
            return AslJson.NODES.objectNode();
        }
        return "$".equals(outputPath) ? out : JsonPaths.require(outputPath, out, run.context());
    }
}
