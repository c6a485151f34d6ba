package dev.chunkflow.local.sfn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint.ServiceError;

/**
 * RedriveExecution in the local engine, across processes (a new LocalExecutions on the same state dir):
 * resumes at the failed state with its input and the variables assigned before it, re-runs only the
 * failed Map iterations / Distributed Map children, counts $$.Execution.RedriveCount, keeps one history.
 */
class RedriveExecutionTest {
    private static final String SM = "test-Redrive";
    private static final String ARN = LocalArns.stateMachine(SM);

    private static String definition(String processorConfig) {
        return """
                {"StartAt": "Setup", "States": {
                  "Setup": {"Type": "Pass", "Assign": {"factor": 10}, "Result": {"items": [0, 1, 2, 3, 4, 5]}, "Next": "Fan"},
                  "Fan": {"Type": "Map", "ItemsPath": "$.items", %s
                    "ItemProcessor": {%s "StartAt": "Work", "States": {
                      "Work": {"Type": "Task", "Resource": "arn:aws:states:::lambda:invoke",
                               "Parameters": {"FunctionName": "work", "Payload.$": "$"}, "ResultSelector": {"v.$": "$.Payload"}, "End": true}}},
                    "ResultPath": null, "Next": "After"},
                  "After": {"Type": "Pass", "Parameters": {"redrive.$": "$$.Execution.RedriveCount", "factor.$": "$factor"}, "End": true}}}
                """.formatted(processorConfig.isEmpty() ? "" : "\"ToleratedFailurePercentage\": 0,", processorConfig);
    }

    /** Calls per item; item 4 fails while {@code broken} holds. */
    private final Map<Integer, AtomicInteger> calls = new ConcurrentHashMap<>();
    private volatile boolean broken = true;

    private LocalExecutions executions(Path dir, String definition) {
        return new LocalExecutions(ARN, definition, recorder -> AslEngine.builder().stateMachineName(SM)
                .region(LocalArns.REGION).accountId(LocalArns.ACCOUNT).listener(recorder).recordHistory(true)
                .lambdaInvoker((fn, payload) -> {
                    int item = AslJson.parse(payload).asInt();
                    calls.computeIfAbsent(item, k -> new AtomicInteger()).incrementAndGet();
                    if (broken && item == 4) {
                        throw new TaskFailure("Test.Broken", "item 4 is broken");
                    }
                    return String.valueOf(item * 2).getBytes(StandardCharsets.UTF_8);
                }).build(),
                new ExecutionStore(dir));
    }

    private static JsonNode json(Map<String, Object> answer) {
        return AslJson.MAPPER.valueToTree(answer);
    }

    private String failOnce(Path dir, String definition) throws Exception {
        try (LocalExecutions first = executions(dir, definition)) {
            String arn = (String) first.startExecution(ARN, "job-1", "{}").get("executionArn");
            first.await(arn, 20, TimeUnit.SECONDS);
            assertEquals("FAILED", first.describeExecution(arn).get("status"));
            return arn;
        }
    }

    private void redriveInANewProcessAndCheck(Path dir, String definition, String arn) throws Exception {
        broken = false;
        Map<Integer, Integer> before = new java.util.HashMap<>();
        calls.forEach((k, v) -> before.put(k, v.get()));
        try (LocalExecutions second = executions(dir, definition)) {
            second.redriveExecution(arn);
            assertEquals(1, ((Number) second.describeExecution(arn).get("redriveCount")).intValue());
            second.await(arn, 20, TimeUnit.SECONDS);
            Map<String, Object> d = second.describeExecution(arn);
            assertEquals("SUCCEEDED", d.get("status"), String.valueOf(d));
            JsonNode out = AslJson.parse((String) d.get("output"));
            assertEquals(1, out.path("redrive").asInt(), "$$.Execution.RedriveCount");
            assertEquals(10, out.path("factor").asInt(), "variables assigned before the failure are restored");
            // a failed Map stops starting items: those never started run now, those that succeeded do not
            for (int i = 0; i < 6; i++) {
                int earlier = before.getOrDefault(i, 0);
                int again = calls.get(i).get() - earlier;
                boolean succeededEarlier = earlier > 0 && i != 4;
                assertEquals(succeededEarlier ? 0 : 1, again, "item " + i + " run on redrive (" + earlier + " calls before)");
            }
            assertTrue(before.size() > 1, "some items succeeded in the first attempt: " + before);
            // events of concurrent iterations are written as they happen, not in id order
            List<JsonNode> events = new ArrayList<>();
            json(second.getExecutionHistory(arn, 1000, false, null, true)).path("events").forEach(events::add);
            events.sort(java.util.Comparator.comparingLong(e -> e.path("id").asLong()));
            List<String> types = new ArrayList<>();
            long previousId = 0;
            for (JsonNode e : events) {
                types.add(e.path("type").asText());
                assertEquals(previousId + 1, e.path("id").asLong(), "one history, ids continue across attempts");
                previousId = e.path("id").asLong();
            }
            assertEquals("ExecutionStarted", types.get(0));
            int redriven = types.indexOf("ExecutionRedriven");
            assertTrue(redriven > types.indexOf("ExecutionFailed"), types.toString());
            assertEquals(1, events.get(redriven).path("executionRedrivenEventDetails").path("redriveCount").asInt());
            assertEquals("MapStateEntered", types.get(redriven + 1), "resumes at the Map state: " + types);
            assertEquals("ExecutionSucceeded", types.get(types.size() - 1));

            ServiceError again = assertThrows(ServiceError.class, () -> second.redriveExecution(arn));
            assertEquals("ExecutionNotRedrivable", again.type());
            assertTrue(again.getMessage().contains("SUCCEEDED"), again.getMessage());
        }
    }

    @Test
    void inlineMapRedriveRunsOnlyTheFailedIterationFromTheFailedState(@TempDir Path dir) throws Exception {
        String def = definition("");
        String arn = failOnce(dir, def);
        redriveInANewProcessAndCheck(dir, def, arn);
    }

    @Test
    void distributedMapRedriveRunsOnlyTheFailedChildrenInTheSameMapRun(@TempDir Path dir) throws Exception {
        String def = definition("\"ProcessorConfig\": {\"Mode\": \"DISTRIBUTED\", \"ExecutionType\": \"EXPRESS\"},");
        String arn = failOnce(dir, def);
        redriveInANewProcessAndCheck(dir, def, arn);
        try (LocalExecutions third = executions(dir, def)) {
            JsonNode runs = json(third.listMapRuns(arn, 0, null)).path("mapRuns");
            assertEquals(1, runs.size(), "the redrive continued the Map Run: " + runs);
        }
    }

    @Test
    void anExecutionThatEndedMoreThan14DaysAgoIsNotRedrivable(@TempDir Path dir) throws Exception {
        String def = definition("");
        String arn = failOnce(dir, def);
        ExecutionStore store = new ExecutionStore(dir);
        ObjectNode rec = store.execution(SM, "job-1").orElseThrow();
        rec.put("stopDate", Instant.now().minus(Duration.ofDays(14).plusMinutes(1)).toEpochMilli() / 1000.0);
        store.saveExecution(SM, rec);
        try (LocalExecutions second = executions(dir, def)) {
            ServiceError e = assertThrows(ServiceError.class, () -> second.redriveExecution(arn));
            assertEquals("ExecutionNotRedrivable", e.type());
            assertTrue(e.getMessage().contains("more than 14 days ago"), e.getMessage());
            assertEquals("FAILED", second.describeExecution(arn).get("status"));
        }
    }
}
