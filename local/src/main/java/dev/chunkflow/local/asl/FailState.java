package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class FailState extends State {
    final String error;
    final String errorPath;
    final String cause;
    final String causePath;

    FailState(String name, JsonNode def) {
        super(name, def, false, false, false, false);
        Fields f = new Fields(name, def);
        this.error = f.optString("Error");
        this.cause = f.optString("Cause");
        this.errorPath = f.pathOrIntrinsic("ErrorPath");
        this.causePath = f.pathOrIntrinsic("CausePath");
        if (error != null && errorPath != null) {
            throw f.error("ErrorPath", "cannot be used together with 'Error'");
        }
        if (cause != null && causePath != null) {
            throw f.error("CausePath", "cannot be used together with 'Cause'");
        }
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        String e = error != null ? error : field(errorPath, "ErrorPath", raw, run);
        String c = cause != null ? cause : field(causePath, "CausePath", raw, run);
        throw StatesFailure.terminal(e, c);
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
                v = Paths.read(expr, raw, run.context());
            } catch (Paths.Missing e) {
                throw StatesFailure.runtime("The JSONPath '" + expr + "' specified for the field '" + field
                        + "' could not be found in the input '" + AslJson.write(raw) + "'");
            }
        }
        return v.isTextual() ? v.textValue() : AslJson.write(v);
    }
}
