package dev.chunkflow.local.asl;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The outcome of an execution, like DescribeExecution: status, output (SUCCEEDED) or error and cause
 * (FAILED; either may be null, as for a Fail state without them), the measured figures and the
 * history (empty unless the engine records it).
 */
public record ExecutionResult(String executionArn, ExecutionStatus status, JsonNode output, String error, String cause,
                              ExecutionStats stats, List<HistoryEvent> history) {

    /** {"status", "output", "error", "cause"} with nulls where absent (what {@code asl run} prints). */
    public ObjectNode toJson() {
        ObjectNode n = AslJson.NODES.objectNode();
        n.put("status", status.name());
        n.set("output", output);
        n.put("error", error);
        n.put("cause", cause);
        return n;
    }

    public ArrayNode historyJson() {
        ArrayNode a = AslJson.NODES.arrayNode();
        history.forEach(e -> a.add(e.toJson()));
        return a;
    }
}
