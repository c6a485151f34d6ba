package dev.chunkflow.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint.ServiceError;

/** Executions persisted in the state dir: what one process ran, another reads; Standard start/stop semantics. */
class LocalExecutionsTest {
    private static final String SM = "test-Machine";
    private static final String ARN = LocalArns.stateMachine(SM);
    private static final String DEFINITION = """
            {"StartAt": "Pause", "States": {
              "Pause": {"Type": "Wait", "SecondsPath": "$.wait", "Next": "Check"},
              "Check": {"Type": "Choice", "Choices": [{"Variable": "$.ok", "BooleanEquals": true, "Next": "Done"}], "Default": "Broken"},
              "Done": {"Type": "Succeed"},
              "Broken": {"Type": "Fail", "Error": "Test.Broken", "Cause": "asked to fail"}}}""";

    private static LocalExecutions executions(Path dir) {
        return new LocalExecutions(ARN, DEFINITION, recorder -> AslEngine.builder().stateMachineName(SM)
                .region(LocalArns.REGION).accountId(LocalArns.ACCOUNT).listener(recorder).recordHistory(true).build(),
                new ExecutionStore(dir));
    }

    private static JsonNode json(Map<String, Object> answer) {
        return dev.chunkflow.local.asl.AslJson.MAPPER.valueToTree(answer);
    }

    @Test
    void executionsAndHistoriesOutliveTheProcessThatRanThem(@TempDir Path dir) throws Exception {
        String ok;
        String failed;
        try (LocalExecutions first = executions(dir)) {
            ok = (String) first.startExecution(ARN, "ok-1", "{\"wait\": 0, \"ok\": true}").get("executionArn");
            failed = (String) first.startExecution(ARN, "bad-1", "{\"wait\": 0, \"ok\": false}").get("executionArn");
            first.await(ok, 10, TimeUnit.SECONDS);
            first.await(failed, 10, TimeUnit.SECONDS);
        }
        try (LocalExecutions second = executions(dir)) {
            assertEquals("SUCCEEDED", second.describeExecution(ok).get("status"));
            Map<String, Object> bad = second.describeExecution(failed);
            assertEquals("FAILED", bad.get("status"));
            assertEquals("Test.Broken", bad.get("error"));
            assertEquals("asked to fail", bad.get("cause"));
            JsonNode events = json(second.getExecutionHistory(failed, 0, false, null, true)).path("events");
            assertEquals("ExecutionStarted", events.get(0).path("type").asText());
            assertEquals("FailStateEntered", events.get(events.size() - 2).path("type").asText());
            assertEquals("ExecutionFailed", events.get(events.size() - 1).path("type").asText());
            assertEquals(2, json(second.listExecutions(ARN, null, 0, null)).path("executions").size());
            assertEquals(1, json(second.listExecutions(ARN, "FAILED", 0, null)).path("executions").size());
            // the name stays taken across processes
            ServiceError e = assertThrows(ServiceError.class, () -> second.startExecution(ARN, "ok-1", "{\"wait\": 0, \"ok\": true}"));
            assertEquals("ExecutionAlreadyExists", e.type());
        }
    }

    @Test
    void historyPagesWithTokensAndCanLeaveOutData(@TempDir Path dir) throws Exception {
        try (LocalExecutions ex = executions(dir)) {
            String arn = (String) ex.startExecution(ARN, "paged", "{\"wait\": 0, \"ok\": true, \"secret\": \"123-45-6789\"}").get("executionArn");
            ex.await(arn, 10, TimeUnit.SECONDS);
            JsonNode page1 = json(ex.getExecutionHistory(arn, 3, false, null, false));
            assertEquals(3, page1.path("events").size());
            JsonNode page2 = json(ex.getExecutionHistory(arn, 100, false, page1.path("nextToken").asText(), false));
            assertEquals(4, page2.path("events").get(0).path("id").asInt());
            assertTrue(!page2.has("nextToken"));
            assertTrue(!page1.toString().contains("123-45-6789"), "includeExecutionData=false leaves inputs out: " + page1);
            assertThrows(ServiceError.class, () -> ex.getExecutionHistory(arn, 3, false, "garbage!", true));
        }
    }

    @Test
    void aRepeatedStartWhileRunningIsIdempotentAndStopAborts(@TempDir Path dir) throws Exception {
        try (LocalExecutions ex = executions(dir)) {
            String input = "{\"wait\": 30, \"ok\": true}";
            String arn = (String) ex.startExecution(ARN, "long", input).get("executionArn");
            assertEquals(arn, ex.startExecution(ARN, "long", input).get("executionArn"), "same name and input while running");
            ServiceError other = assertThrows(ServiceError.class, () -> ex.startExecution(ARN, "long", "{\"wait\": 1}"));
            assertEquals("ExecutionAlreadyExists", other.type());
            assertEquals("RUNNING", ex.describeExecution(arn).get("status"));

            ex.stopExecution(arn, "Operator.Stop", "enough");
            Map<String, Object> d = ex.describeExecution(arn);
            assertEquals("ABORTED", d.get("status"));
            assertEquals("Operator.Stop", d.get("error"));
            ex.await(arn, 10, TimeUnit.SECONDS); // the engine gives up its Wait promptly
            assertEquals("ABORTED", ex.describeExecution(arn).get("status"), "the engine's end does not overwrite the stop");
            JsonNode events = json(ex.getExecutionHistory(arn, 0, true, null, true)).path("events");
            assertEquals("ExecutionAborted", events.get(0).path("type").asText());
        }
    }

    @Test
    void anExecutionLeftRunningByADeadProcessIsAborted(@TempDir Path dir) {
        ExecutionStore store = new ExecutionStore(dir);
        ObjectNode orphan = dev.chunkflow.local.asl.AslJson.NODES.objectNode();
        orphan.put("executionArn", LocalArns.execution(SM, "orphan"));
        orphan.put("name", "orphan");
        orphan.put("status", "RUNNING");
        orphan.put("startDate", 1.0);
        orphan.put("input", "{}");
        store.saveExecution(SM, orphan);
        try (LocalExecutions ex = executions(dir)) {
            Map<String, Object> d = ex.describeExecution(LocalArns.execution(SM, "orphan"));
            assertEquals("ABORTED", d.get("status"));
            assertEquals(LocalExecutions.ORPHAN_CAUSE, d.get("cause"));
        }
    }

    @Test
    void malformedArnsAndUnknownExecutionsAreTheServiceErrors(@TempDir Path dir) {
        try (LocalExecutions ex = executions(dir)) {
            assertEquals("InvalidArn", assertThrows(ServiceError.class, () -> ex.describeExecution("nope")).type());
            assertEquals("ExecutionDoesNotExist", assertThrows(ServiceError.class,
                    () -> ex.describeExecution(LocalArns.execution(SM, "missing"))).type());
            assertEquals("StateMachineDoesNotExist", assertThrows(ServiceError.class,
                    () -> ex.startExecution(LocalArns.stateMachine("other"), "x", "{}")).type());
            assertEquals("InvalidExecutionInput", assertThrows(ServiceError.class,
                    () -> ex.startExecution(ARN, "x", "{not json")).type());
            assertEquals("InvalidName", assertThrows(ServiceError.class, () -> ex.startExecution(ARN, "bad name", "{}")).type());
        }
    }
}
