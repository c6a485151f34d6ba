package dev.chunkflow.local.events;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/** template.yaml's JobFailedRule and JobRedrivenRule applied to Step Functions status change events. */
class EventRulesTest {
    private static final String SM = LocalArns.stateMachine("chunkflow-EtlStateMachine");

    private final List<String[]> calls = new ArrayList<>();

    static java.nio.file.Path repoFile(String name) {
        java.nio.file.Path d = java.nio.file.Path.of("").toAbsolutePath();
        while (!java.nio.file.Files.exists(d.resolve(name))) {
            d = d.getParent();
        }
        return d.resolve(name);
    }

    private EventRules rules() {
        SamTemplate t = SamTemplate.load(repoFile("template.yaml"));
        TemplateValue.Resolver resolver = new TemplateValue.Resolver() {
            @Override
            public String ref(String name) {
                return name.equals("EtlStateMachine") ? SM : "ref:" + name;
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return "getatt:" + logicalId + "." + attribute;
            }
        };
        return EventRules.fromTemplate(t, resolver, (arn, payload) -> {
            calls.add(new String[] {arn, new String(payload, StandardCharsets.UTF_8)});
            return "{}".getBytes(StandardCharsets.UTF_8);
        });
    }

    private static ObjectNode execution(String status) {
        ObjectNode e = AslJson.NODES.objectNode();
        e.put("executionArn", LocalArns.execution("chunkflow-EtlStateMachine", "job-7"));
        e.put("stateMachineArn", SM);
        e.put("name", "job-7");
        e.put("status", status);
        e.put("startDate", 1_700_000_000.5);
        e.put("input", "{\"job_id\":\"job-7\"}");
        e.put("redriveCount", 0);
        return e;
    }

    @Test
    void aFailedExecutionMarksItsJobFailedWithTheErrorAndACauseThatNeedsEscaping() {
        ObjectNode e = execution("FAILED");
        e.put("stopDate", 1_700_000_100.0);
        e.put("error", "States.ExceedToleratedFailureThreshold");
        e.put("cause", "chunk 3: \"quoted\"\nand a newline");
        assertEquals(1, rules().deliver(ExecutionStatusChange.event(e, Instant.now())));
        assertEquals("ref:UpdateJobFunction.Alias", calls.get(0)[0]);
        JsonNode in = AslJson.parse(calls.get(0)[1]);
        assertEquals("job-7", in.path("job_id").asText());
        assertEquals("FAILED", in.path("status").asText());
        assertEquals("States.ExceedToleratedFailureThreshold", in.path("error").path("error").asText());
        assertEquals("chunk 3: \"quoted\"\nand a newline", in.path("error").path("cause").asText());
    }

    @Test
    void anAbortedExecutionWithoutErrorGivesNulls() {
        ObjectNode e = execution("ABORTED");
        e.put("stopDate", 1_700_000_100.0);
        assertEquals(1, rules().deliver(ExecutionStatusChange.event(e, Instant.now())));
        JsonNode in = AslJson.parse(calls.get(0)[1]);
        assertEquals("FAILED", in.path("status").asText());
        assertTrue(in.path("error").path("error").isNull());
        assertTrue(in.path("error").path("cause").isNull());
    }

    @Test
    void aRedrivenExecutionMarksItsJobRunningWithAStepButAFirstStartDoesNot() {
        EventRules rules = rules();
        assertEquals(0, rules.deliver(ExecutionStatusChange.event(execution("RUNNING"), Instant.now())));
        ObjectNode e = execution("RUNNING");
        e.put("redriveCount", 2);
        e.put("redriveDate", 1_700_000_200.0);
        assertEquals(1, rules.deliver(ExecutionStatusChange.event(e, Instant.parse("2026-12-02T06:00:00.123Z"))));
        JsonNode in = AslJson.parse(calls.get(0)[1]);
        assertEquals("RUNNING", in.path("status").asText());
        JsonNode step = in.path("append_steps").path(0);
        assertEquals("ExecutionRedriven", step.path("name").asText());
        assertEquals(2, step.path("redrive_count").asInt());
        assertEquals("2026-12-02T06:00:00Z", step.path("started_at").asText());
    }

    @Test
    void succeededExecutionsAndOtherStateMachinesAreIgnored() {
        EventRules rules = rules();
        assertEquals(0, rules.deliver(ExecutionStatusChange.event(execution("SUCCEEDED"), Instant.now())));
        ObjectNode other = execution("FAILED");
        other.put("stateMachineArn", LocalArns.stateMachine("someone-else"));
        assertEquals(0, rules.deliver(ExecutionStatusChange.event(other, Instant.now())));
        assertTrue(calls.isEmpty());
    }
}
