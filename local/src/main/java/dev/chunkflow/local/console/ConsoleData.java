package dev.chunkflow.local.console;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.sfn.LocalExecutions;

/**
 * What the console page shows of one execution, gathered in one JSON document: the execution
 * (DescribeExecution), its definition, history, Distributed Map children's events, Map item counts,
 * and the job record as GET /jobs/{job_id}?include=execution_steps answers it (offloaded steps as a
 * presigned URL).
 */
public final class ConsoleData {
    private ConsoleData() {
    }

    public static ObjectNode list(LocalExecutions executions) {
        ObjectNode out = AslJson.NODES.objectNode();
        out.put("stateMachineArn", executions.stateMachineArn());
        var items = out.putArray("executions");
        executions.store().executions(executions.stateMachineName()).forEach(e -> {
            ObjectNode i = items.addObject();
            for (String f : new String[] {"name", "executionArn", "status", "startDate", "stopDate", "error"}) {
                if (e.has(f)) {
                    i.set(f, e.get(f));
                }
            }
        });
        return out;
    }

    /** @return null when there is no such execution */
    public static ObjectNode execution(LocalApp app, LocalExecutions executions, String name) {
        String sm = executions.stateMachineName();
        var record = executions.store().execution(sm, name);
        if (record.isEmpty()) {
            return null;
        }
        ObjectNode out = AslJson.NODES.objectNode();
        out.set("execution", record.get());
        out.set("definition", AslJson.parse(executions.definitionJson()));
        out.set("history", executions.store().history(sm, name));
        out.set("children", executions.store().children(sm, name));
        out.set("mapProgress", executions.mapProgress(name));
        out.put("payloadLimit", AwsLimits.SFN_STATE_PAYLOAD_BYTES);
        out.set("job", job(app, name));
        return out;
    }

    /** GetJob's answer for the execution's job (the job id is the execution name), or null. */
    private static JsonNode job(LocalApp app, String jobId) {
        if (app.function("GetJobFunction").isEmpty()) {
            return null;
        }
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "GET /jobs/{job_id}");
        event.put("rawPath", "/jobs/" + jobId);
        event.put("rawQueryString", "include=execution_steps");
        event.putObject("headers");
        event.putObject("queryStringParameters").put("include", "execution_steps");
        event.putObject("pathParameters").put("job_id", jobId);
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("routeKey", "GET /jobs/{job_id}");
        ctx.put("stage", "$default");
        ctx.putObject("http").put("method", "GET").put("path", "/jobs/" + jobId).put("protocol", "HTTP/1.1").put("sourceIp", "127.0.0.1");
        event.put("isBase64Encoded", false);
        try {
            JsonNode response = Json.readTree(app.invoke("GetJobFunction", Json.bytes(event)));
            if (response.path("statusCode").asInt() != 200) {
                return null;
            }
            return Json.readTree(response.path("body").asText("null").getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            return AslJson.MAPPER.valueToTree(Map.of("error", "GetJob failed: " + e.getMessage()));
        }
    }
}
