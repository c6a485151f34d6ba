package dev.chunkflow.local.asl;

import java.time.Instant;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One history event, shaped like GetExecutionHistory's: id, previousEventId, timestamp, type and
 * (when the engine records history) the type's details object.
 */
public record HistoryEvent(long id, long previousEventId, Instant timestamp, String type, ObjectNode details) {

    public ObjectNode toJson() {
        ObjectNode n = AslJson.NODES.objectNode();
        n.put("id", id);
        n.put("previousEventId", previousEventId);
        n.put("timestamp", timestamp.toString());
        n.put("type", type);
        if (details != null) {
            n.set(detailsKey(type), details);
        }
        return n;
    }

    static String detailsKey(String type) {
        if (type.endsWith("StateEntered")) {
            return "stateEnteredEventDetails";
        }
        if (type.endsWith("StateExited")) {
            return "stateExitedEventDetails";
        }
        return Character.toLowerCase(type.charAt(0)) + type.substring(1) + "EventDetails";
    }
}
