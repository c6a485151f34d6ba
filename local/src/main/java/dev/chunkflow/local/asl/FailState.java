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
}
