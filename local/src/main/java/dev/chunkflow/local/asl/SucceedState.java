package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class SucceedState extends State {
    SucceedState(String name, JsonNode def) {
        super(name, def, false, false, false, false);
    }
}
