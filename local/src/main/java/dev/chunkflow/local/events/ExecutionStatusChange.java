package dev.chunkflow.local.events;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.lambda.LocalArns;

/**
 * The EventBridge event Step Functions sends when a Standard execution changes status ("Step Functions
 * Execution Status Change", source {@code aws.states}), built from a DescribeExecution-shaped record
 * (dates in epoch seconds there, epoch milliseconds in the event, as AWS sends them).
 */
public final class ExecutionStatusChange {
    public static final String DETAIL_TYPE = "Step Functions Execution Status Change";

    private ExecutionStatusChange() {
    }

    public static ObjectNode event(ObjectNode execution, Instant time) {
        ObjectNode e = AslJson.NODES.objectNode();
        e.put("version", "0");
        e.put("id", UUID.randomUUID().toString());
        e.put("detail-type", DETAIL_TYPE);
        e.put("source", "aws.states");
        e.put("account", LocalArns.ACCOUNT);
        e.put("time", time.truncatedTo(ChronoUnit.SECONDS).toString());
        e.put("region", LocalArns.REGION);
        e.putArray("resources").add(execution.path("executionArn").asText());
        ObjectNode d = e.putObject("detail");
        d.put("executionArn", execution.path("executionArn").asText());
        d.put("stateMachineArn", execution.path("stateMachineArn").asText());
        d.put("name", execution.path("name").asText());
        d.put("status", execution.path("status").asText());
        millis(d, "startDate", execution.get("startDate"));
        millis(d, "stopDate", execution.get("stopDate"));
        text(d, "input", execution.get("input"));
        text(d, "output", execution.get("output"));
        d.putObject("inputDetails").put("included", true);
        d.putObject("outputDetails").put("included", execution.has("output"));
        text(d, "error", execution.get("error"));
        text(d, "cause", execution.get("cause"));
        d.put("redriveCount", execution.path("redriveCount").asInt(0));
        millis(d, "redriveDate", execution.get("redriveDate"));
        String status = execution.path("status").asText();
        boolean redrivable = status.equals("FAILED") || status.equals("TIMED_OUT") || status.equals("ABORTED");
        d.put("redriveStatus", redrivable ? "REDRIVABLE" : "NOT_REDRIVABLE");
        if (!redrivable) {
            d.put("redriveStatusReason", status.equals("RUNNING") ? "Execution is RUNNING and cannot be redriven"
                    : "Execution is SUCCEEDED and cannot be redriven");
        }
        return e;
    }

    private static void millis(ObjectNode d, String field, JsonNode epochSeconds) {
        if (epochSeconds == null || epochSeconds.isNull()) {
            d.putNull(field);
        } else {
            d.put(field, Math.round(epochSeconds.asDouble() * 1000));
        }
    }

    private static void text(ObjectNode d, String field, JsonNode v) {
        if (v == null || v.isNull()) {
            d.putNull(field);
        } else {
            d.put(field, v.asText());
        }
    }
}
