package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class PassState extends State {
    final JsonNode result;

    PassState(String name, JsonNode def) {
        super(name, def, true, true, true, false);
        this.result = def.get("Result");
    }
}
