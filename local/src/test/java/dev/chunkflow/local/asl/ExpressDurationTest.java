package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * An EXPRESS execution (a Distributed Map child, or a top-level Express workflow) lives at most 5
 * minutes on the engine's clock; past that it fails with States.Timeout, which no Retry or Catch sees.
 * The clock is virtual: each Lambda call "takes" as many seconds as its payload says, without waiting.
 */
class ExpressDurationTest {
    private static final String FN = "arn:aws:lambda:us-east-1:000000000000:function:Slow";

    private static ExecutionResult run(String definition, String input, boolean express) {
        TimeSource.Virtual clock = TimeSource.virtual(Instant.parse("2026-01-01T00:00:00Z"));
        LambdaInvoker slow = (fn, payload) -> {
            JsonNode in = AslJson.parse(payload);
            try {
                clock.sleep(Duration.ofSeconds(in.path("seconds").asLong()));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
            if (in.path("fail").asBoolean()) {
                throw TaskFailure.functionError("Boom", "always fails");
            }
            return payload;
        };
        try (AslEngine engine = AslEngine.builder().lambdaInvoker(slow).timeSource(clock).express(express)
                .recordHistory(true).build()) {
            return engine.execute(StateMachine.parse(definition), input, "test");
        }
    }

    /** A Distributed Map (one child per item, one at a time) whose child calls the function twice. */
    private static String twoCallsPerChild(String executionType) {
        return """
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":1,
                  "ToleratedFailurePercentage":100,
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"%s"},"StartAt":"T1",
                    "States":{"T1":{"Type":"Task","Resource":"%s","Next":"T2"},
                              "T2":{"Type":"Task","Resource":"%s",
                                    "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                              "Caught":{"Type":"Pass","End":true}}},
                  "End":true}}}""".formatted(executionType, FN, FN);
    }

    @Test
    void expressChildRunningPastFiveMinutesFailsWithStatesTimeout() {
        ExecutionResult r = run(twoCallsPerChild("EXPRESS"), "{\"items\":[{\"seconds\":140},{\"seconds\":160}]}", false);

        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.error() + " " + r.cause());
        JsonNode children = r.output();
        assertEquals(140, children.get(0).path("seconds").asInt(), "280 s: within the limit");
        assertEquals("States.Timeout", children.get(1).path("Error").asText(), "320 s: " + children.get(1));
        assertTrue(children.get(1).path("Cause").asText().contains("5 minutes"), children.get(1).toString());
    }

    @Test
    void standardChildHasNoFiveMinuteLimit() {
        ExecutionResult r = run(twoCallsPerChild("STANDARD"), "{\"items\":[{\"seconds\":160}]}", false);

        assertEquals(160, r.output().get(0).path("seconds").asInt(), r.output().toString());
    }

    @Test
    void retryBackoffThatWouldOutliveTheExecutionEndsItAtTheDeadline() {
        String def = """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%s",
                  "Retry":[{"ErrorEquals":["States.ALL"],"IntervalSeconds":100,"MaxAttempts":5,"BackoffRate":2}],
                  "Catch":[{"ErrorEquals":["States.ALL"],"Next":"Caught"}],"End":true},
                  "Caught":{"Type":"Pass","End":true}}}""".formatted(FN);

        ExecutionResult express = run(def, "{\"seconds\":10,\"fail\":true}", true);
        ExecutionResult standard = run(def, "{\"seconds\":10,\"fail\":true}", false);

        assertEquals(ExecutionStatus.FAILED, express.status());
        assertEquals("States.Timeout", express.error(), "not caught, not retried: " + express.cause());
        assertEquals("ExecutionTimedOut", express.history().get(express.history().size() - 1).type());
        // Standard: 5 retries (100+200+400+800+1600 s) run out, then the Catch routes the error.
        assertEquals(ExecutionStatus.SUCCEEDED, standard.status(), standard.error() + " " + standard.cause());
    }

    @Test
    void expressWaitPastTheLimitTimesOut() {
        String def = """
                {"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":301,"End":true}}}""";

        assertEquals("States.Timeout", run(def, "{}", true).error());
        assertEquals(ExecutionStatus.SUCCEEDED, run(def.replace("301", "299"), "{}", true).status());
    }
}
