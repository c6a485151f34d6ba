package dev.chunkflow.local.sfn;

import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.RedrivePlan;

/**
 * Reads a persisted history (GetExecutionHistory's shape, every attempt so far) and says where a redrive
 * resumes, as AWS does: at the top-level state with a {@code <Type>StateEntered} and no matching
 * {@code <Type>StateExited}, with the input it was entered with; a Map state there re-runs only the
 * inline iterations without MapIterationSucceeded, or the Distributed Map children (from children.jsonl)
 * without ExecutionSucceeded, in the same Map Run. Top-level variables are those assigned by the states
 * that exited. State names are unique across a definition, so top-level names identify top-level events.
 */
final class RedrivePlanner {
    private RedrivePlanner() {
    }

    static RedrivePlan plan(String definitionJson, ObjectNode execution, ArrayNode history, ArrayNode children) {
        Set<String> topLevel = new HashSet<>();
        AslJson.parse(definitionJson).path("States").fieldNames().forEachRemaining(topLevel::add);
        String state = null;
        JsonNode stateInput = null;
        long lastEventId = 0;
        Map<String, JsonNode> variables = new LinkedHashMap<>();
        Map<String, Set<Integer>> succeeded = new HashMap<>();
        Map<String, String> mapRunArns = new HashMap<>();
        for (JsonNode e : history) {
            lastEventId = Math.max(lastEventId, e.path("id").asLong());
            String type = e.path("type").asText();
            if (type.endsWith("StateEntered")) {
                String name = e.path("stateEnteredEventDetails").path("name").asText();
                if (topLevel.contains(name)) {
                    state = name;
                    stateInput = AslJson.parse(e.path("stateEnteredEventDetails").path("input").asText("null"));
                }
            } else if (type.endsWith("StateExited")) {
                JsonNode d = e.path("stateExitedEventDetails");
                String name = d.path("name").asText();
                if (topLevel.contains(name)) {
                    if (name.equals(state)) {
                        state = null;
                        stateInput = null;
                    }
                    d.path("assignedVariables").fields().forEachRemaining(v -> variables.put(v.getKey(), AslJson.parse(v.getValue().asText())));
                    succeeded.remove(name);
                    mapRunArns.remove(name);
                }
            } else if (type.equals("MapIterationSucceeded")) {
                JsonNode d = e.path("mapIterationSucceededEventDetails");
                succeeded.computeIfAbsent(d.path("name").asText(), k -> new HashSet<>()).add(d.path("index").asInt());
            } else if (type.equals("MapRunStarted") && state != null) {
                mapRunArns.put(state, e.path("mapRunStartedEventDetails").path("mapRunArn").asText());
            }
        }
        if (state != null && mapRunArns.containsKey(state)) {
            String arn = mapRunArns.get(state);
            String prefix = arn.substring(arn.lastIndexOf(':') + 1).substring(0, 8) + "-";
            Set<Integer> done = new HashSet<>();
            for (JsonNode c : children) {
                String child = c.path("child").asText();
                if (child.startsWith(prefix) && "ExecutionSucceeded".equals(c.path("type").asText())) {
                    done.add(Integer.parseInt(child.substring(prefix.length())));
                }
            }
            succeeded.put(state, done);
        }
        Instant start = Instant.ofEpochMilli(Math.round(execution.path("startDate").asDouble() * 1000));
        return new RedrivePlan(execution.path("redriveCount").asInt(0) + 1, start, lastEventId, state, stateInput,
                variables, succeeded, mapRunArns);
    }
}
