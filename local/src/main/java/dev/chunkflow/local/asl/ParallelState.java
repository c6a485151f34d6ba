package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

final class ParallelState extends State {
    final List<StatesBlock> branches = new ArrayList<>();

    ParallelState(String name, JsonNode def) {
        super(name, def, true, true, true, true);
        Fields f = new Fields(name, def);
        JsonNode list = def.get("Branches");
        if (list == null || !list.isArray() || list.isEmpty()) {
            throw f.error("Branches", "must be a non-empty array of state machines");
        }
        for (int i = 0; i < list.size(); i++) {
            branches.add(StatesBlock.parse(list.get(i), "state '" + name + "' Branches[" + i + "]"));
        }
    }
}
