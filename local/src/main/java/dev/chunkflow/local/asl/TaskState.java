package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class TaskState extends State {
    static final String LAMBDA_INVOKE = "arn:aws:states:::lambda:invoke";

    final String resource;
    final Integer timeoutSeconds;

    TaskState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, true, true, true, true);
        Fields f = new Fields(name, def);
        this.resource = f.requiredString("Resource");
        this.timeoutSeconds = def.has("TimeoutSeconds") && !jsonataExpression(def, f, "TimeoutSeconds")
                ? f.integer("TimeoutSeconds", 60, 1) : null;
        if (def.has("HeartbeatSeconds")) {
            jsonataExpression(def, f, "HeartbeatSeconds");
        }
        if (!resource.startsWith("arn:")) {
            throw f.error("Resource", "must be an ARN");
        }
    }

    /** A JSONata state may give a number as a {% %} expression; it is compiled (so checked) here. */
    private boolean jsonataExpression(JsonNode def, Fields f, String field) {
        JsonNode v = def.get(field);
        if (ql != QueryLanguage.JSONATA || !v.isTextual() || !JsonataExpression.isExpression(v.textValue())) {
            return false;
        }
        f.jsonata(field);
        return true;
    }

    boolean isLambdaInvoke() {
        return resource.equals(LAMBDA_INVOKE) || resource.startsWith(LAMBDA_INVOKE + ":");
    }

    boolean isLambdaFunctionArn() {
        return resource.startsWith("arn:aws:lambda:") && resource.contains(":function:");
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        return in.withErrorHandling(run, raw, (r, args) -> {
            JsonNode result = in.tasks().run(this, args, r);
            in.checkResult(r, resource, result);
            return result;
        });
    }
}
