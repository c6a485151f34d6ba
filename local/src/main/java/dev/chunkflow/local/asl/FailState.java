package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class FailState extends State {
    final String error;
    final String errorPath;
    final String cause;
    final String causePath;

    /** JSONata: Error / Cause given as {% %} expressions. */
    final JsonataTemplate errorExpr;
    final JsonataTemplate causeExpr;

    FailState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, false, false, false, false);
        Fields f = new Fields(name, def);
        this.errorExpr = expression(def.get("Error")) ? f.jsonata("Error") : null;
        this.causeExpr = expression(def.get("Cause")) ? f.jsonata("Cause") : null;
        this.error = errorExpr == null ? f.optString("Error") : null;
        this.cause = causeExpr == null ? f.optString("Cause") : null;
        this.errorPath = f.pathOrIntrinsic("ErrorPath");
        this.causePath = f.pathOrIntrinsic("CausePath");
        if (error != null && errorPath != null) {
            throw f.error("ErrorPath", "cannot be used together with 'Error'");
        }
        if (cause != null && causePath != null) {
            throw f.error("CausePath", "cannot be used together with 'Cause'");
        }
    }

    private boolean expression(JsonNode v) {
        return ql == QueryLanguage.JSONATA && v != null && v.isTextual() && JsonataExpression.isExpression(v.textValue());
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        String e = errorExpr != null ? text(errorExpr, raw, run) : error != null ? error : field(errorPath, "ErrorPath", raw, run);
        String c = causeExpr != null ? text(causeExpr, raw, run) : cause != null ? cause : field(causePath, "CausePath", raw, run);
        throw StatesFailure.withFinalCause(e, c);
    }

    private static String text(JsonataTemplate expr, JsonNode raw, Interpreter.StateRun run) {
        JsonNode v = expr.apply(run.jsonata(raw, null, null));
        return v.isTextual() ? v.textValue() : AslJson.write(v);
    }

    private static String field(String expr, String field, JsonNode raw, Interpreter.StateRun run) {
        if (expr == null) {
            return null;
        }
        JsonNode v;
        if (Intrinsics.looksLikeCall(expr)) {
            v = Intrinsics.eval(Intrinsics.parse(expr), raw, run.context(), field);
        } else {
            try {
                v = JsonPaths.read(expr, raw, run.context());
            } catch (JsonPaths.Missing e) {
                throw StatesFailure.runtime("The JSONPath '" + expr + "' specified for the field '" + field
                        + "' could not be found in the input '" + AslJson.write(raw) + "'");
            }
        }
        return v.isTextual() ? v.textValue() : AslJson.write(v);
    }
}
