package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.limits.AwsLimits;

class AslEngineTest {
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:Work";

    private static ExecutionResult run(String definition, String input, AslEngine.Builder b) {
        try (AslEngine engine = b.build()) {
            return engine.execute(StateMachine.parse(definition), input, "test");
        }
    }

    private static AslEngine.Builder engine(LambdaInvoker invoker) {
        return AslEngine.builder().lambdaInvoker(invoker).timeSource(TimeSource.virtual(Instant.parse("2026-01-01T00:00:00Z")));
    }

    private static String task(String extra) {
        return """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"%s"%s,"End":true},"Caught":{"Type":"Pass","End":true}}}
                """.formatted(FN, extra);
    }

    @Test
    void oneInlineMapIterationWithOneLambdaInvokeTaskIsSevenHistoryEvents() {
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke","Parameters":{"FunctionName":"Work","Payload.$":"$"},
                       "OutputPath":"$.Payload","End":true}}},"End":true}}}""";
        ExecutionResult r = run(def, "[1,2,3]", engine(LambdaInvoker.identity()).recordHistory(true));
        assertEquals(ExecutionStatus.SUCCEEDED, r.status());
        assertEquals("[1,2,3]", AslJson.write(r.output()));
        List<String> types = r.history().stream().map(HistoryEvent::type).toList();
        List<String> iteration = List.of("MapIterationStarted", "TaskStateEntered", "TaskScheduled", "TaskStarted", "TaskSucceeded",
                "TaskStateExited", "MapIterationSucceeded");
        List<String> expected = new ArrayList<>(List.of("ExecutionStarted", "MapStateEntered", "MapStateStarted"));
        for (int i = 0; i < 3; i++) {
            expected.addAll(iteration);
        }
        expected.addAll(List.of("MapStateSucceeded", "MapStateExited", "ExecutionSucceeded"));
        assertEquals(expected, types);
        assertEquals(27, r.stats().historyEvents());
        assertEquals(3, r.stats().lambdaInvocations());
        for (int i = 0; i < r.history().size(); i++) {
            assertEquals(i + 1, r.history().get(i).id());
        }
    }

    @Test
    void lambdaInvokeResultIsShapedLikeTheInvokeApiResponse() {
        String def = """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:states:::lambda:invoke",
                  "Parameters":{"FunctionName":"Work","Payload":{"a":1}},"End":true}}}""";
        ExecutionResult r = run(def, "{}", engine(LambdaInvoker.identity()));
        JsonNode out = r.output();
        assertEquals("$LATEST", out.path("ExecutedVersion").asText());
        assertEquals(200, out.path("StatusCode").asInt());
        assertEquals(1, out.path("Payload").path("a").asInt());
        assertEquals(200, out.path("SdkHttpMetadata").path("HttpStatusCode").asInt());
        assertEquals("7", out.path("SdkHttpMetadata").path("HttpHeaders").path("Content-Length").asText());
        assertTrue(out.path("SdkResponseMetadata").path("RequestId").isTextual());
    }

    @Test
    void taskResultOverTheStatePayloadLimitFailsWithDataLimitExceededNotCaughtByStatesAll() {
        byte[] big = ("\"" + "x".repeat(AwsLimits.SFN_STATE_PAYLOAD_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
        LambdaInvoker invoker = (fn, payload) -> big;
        ExecutionResult r = run(task(",\"Catch\":[{\"ErrorEquals\":[\"States.ALL\"],\"Next\":\"Caught\"}]"), "{}", engine(invoker));
        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals("States.DataLimitExceeded", r.error());
        assertEquals("The state/task '" + FN + "' returned a result with a size exceeding the maximum number of bytes service limit.", r.cause());
        assertEquals(big.length, r.stats().maxStatePayloadBytes());
        assertEquals("T", r.stats().maxStatePayloadState());
        assertEquals("STATE_PAYLOAD", r.stats().limitViolations().get(0).limit());

        ExecutionResult caught = run(task(",\"Catch\":[{\"ErrorEquals\":[\"States.DataLimitExceeded\"],\"Next\":\"Caught\"}]"), "{}", engine(invoker));
        assertEquals(ExecutionStatus.SUCCEEDED, caught.status());
        assertEquals("States.DataLimitExceeded", caught.output().path("Error").asText());
    }

    @Test
    void payloadOneByteUnderTheLimitPasses() {
        int overhead = "\"\"".length();
        byte[] fits = ("\"" + "x".repeat(AwsLimits.SFN_STATE_PAYLOAD_BYTES - overhead) + "\"").getBytes(StandardCharsets.UTF_8);
        ExecutionResult r = run(task(""), "{}", engine((fn, p) -> fits));
        assertEquals(ExecutionStatus.SUCCEEDED, r.status());
        assertEquals(AwsLimits.SFN_STATE_PAYLOAD_BYTES, r.stats().maxStatePayloadBytes());
        assertTrue(r.stats().limitViolations().isEmpty());
    }

    @Test
    void multiByteCharactersAreCountedInUtf8Bytes() {
        // 'é' is 2 bytes in UTF-8: 131,072 of them plus quotes is over 262,144 bytes though under 262,144 chars.
        byte[] big = ("\"" + "é".repeat(AwsLimits.SFN_STATE_PAYLOAD_BYTES / 2) + "\"").getBytes(StandardCharsets.UTF_8);
        ExecutionResult r = run(task(""), "{}", engine((fn, p) -> big));
        assertEquals("States.DataLimitExceeded", r.error());
    }

    @Test
    void lambdaResponseOverSixMegabytesFailsLikeLambda() {
        byte[] huge = ("\"" + "y".repeat(AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
        ExecutionResult r = run(task(""), "{}", engine((fn, p) -> huge));
        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals("Function.ResponseSizeTooLarge", r.error());
        assertEquals("Response payload size exceeded maximum allowed payload size (6291556 bytes).",
                AslJson.parse(r.cause()).path("errorMessage").asText());
        assertEquals(huge.length, r.stats().maxLambdaResponseBytes());
        assertEquals(List.of("LAMBDA_RESPONSE"), r.stats().limitViolations().stream().map(LimitViolation::limit).toList());
    }

    @Test
    void reportOnlyLimitsLetTheExecutionSucceedAndListTheViolations() {
        byte[] huge = ("\"" + "y".repeat(AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES) + "\"").getBytes(StandardCharsets.UTF_8);
        ExecutionResult r = run(task(""), "{}", engine((fn, p) -> huge).limits(Limits.aws().reportOnly()));
        assertEquals(ExecutionStatus.SUCCEEDED, r.status());
        List<String> limits = r.stats().limitViolations().stream().map(LimitViolation::limit).distinct().sorted().toList();
        assertEquals(List.of("LAMBDA_RESPONSE", "STATE_PAYLOAD"), limits);
        assertTrue(r.stats().limitViolations().stream().noneMatch(LimitViolation::enforced));
    }

    @Test
    void functionErrorsSurfaceAsErrorTypeAndErrorJsonCause() {
        LambdaInvoker invoker = (fn, p) -> {
            throw TaskFailure.functionError("dev.chunkflow.common.InvalidInput", "job_id: is required");
        };
        ExecutionResult r = run(task(""), "{}", engine(invoker));
        assertEquals("dev.chunkflow.common.InvalidInput", r.error());
        JsonNode cause = AslJson.parse(r.cause());
        assertEquals("job_id: is required", cause.path("errorMessage").asText());
        assertEquals("dev.chunkflow.common.InvalidInput", cause.path("errorType").asText());
    }

    @Test
    void anExceptionEscapingTheInvokerIsReportedLikeTheJavaLambdaRuntime() {
        LambdaInvoker invoker = (fn, p) -> {
            throw new IllegalStateException("boom");
        };
        ExecutionResult r = run(task(""), "{}", engine(invoker));
        assertEquals("java.lang.IllegalStateException", r.error());
        assertEquals("boom", AslJson.parse(r.cause()).path("errorMessage").asText());
    }

    @Test
    void retryWaitsFollowIntervalBackoffAndMaxDelayOnTheVirtualClock() {
        AtomicInteger calls = new AtomicInteger();
        LambdaInvoker failing = (fn, p) -> {
            calls.incrementAndGet();
            throw new TaskFailure("Lambda.ServiceException", "unavailable");
        };
        TimeSource.Virtual clock = TimeSource.virtual(Instant.EPOCH);
        ExecutionResult r = run(task(",\"Retry\":[{\"ErrorEquals\":[\"Lambda.ServiceException\"],\"IntervalSeconds\":2,"
                + "\"BackoffRate\":3,\"MaxDelaySeconds\":10,\"MaxAttempts\":4}]"), "{}",
                AslEngine.builder().lambdaInvoker(failing).timeSource(clock));
        assertEquals("Lambda.ServiceException", r.error());
        assertEquals(5, calls.get());
        assertEquals(Duration.ofSeconds(2 + 6 + 10 + 10), clock.slept());
    }

    @Test
    void fullJitterNeverWaitsLongerThanTheBackoff() {
        TimeSource.Virtual clock = TimeSource.virtual(Instant.EPOCH);
        LambdaInvoker failing = (fn, p) -> {
            throw new TaskFailure("Lambda.TooManyRequestsException", "slow down");
        };
        run(task(",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"IntervalSeconds\":5,\"MaxAttempts\":3,\"JitterStrategy\":\"FULL\"}]"),
                "{}", AslEngine.builder().lambdaInvoker(failing).timeSource(clock));
        assertTrue(clock.slept().compareTo(Duration.ofSeconds(5 + 10 + 20)) <= 0);
    }

    @Test
    void inlineMapIterationsRunOnParallelThreads() {
        CyclicBarrier allFive = new CyclicBarrier(5);
        LambdaInvoker invoker = (fn, p) -> {
            try {
                allFive.await(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                throw new TaskFailure("NotConcurrent", e.toString());
            }
            return p;
        };
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":5,"ItemProcessor":{"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"%s","End":true}}},"End":true}}}""".formatted(FN);
        ExecutionResult r = run(def, "[1,2,3,4,5]", engine(invoker));
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
    }

    @Test
    void inlineMapConcurrencyIsCappedAtForty() {
        AtomicInteger inFlight = new AtomicInteger();
        List<Integer> peaks = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch forty = new CountDownLatch(40);
        LambdaInvoker invoker = (fn, p) -> {
            peaks.add(inFlight.incrementAndGet());
            try {
                forty.countDown();
                forty.await(60, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                inFlight.decrementAndGet();
            }
            return p;
        };
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":0,"ItemProcessor":{"StartAt":"T","States":{
                  "T":{"Type":"Task","Resource":"%s","End":true}}},"End":true}}}""".formatted(FN);
        StringBuilder items = new StringBuilder("[0");
        for (int i = 1; i < 100; i++) {
            items.append(',').append(i);
        }
        ExecutionResult r = run(def, items.append(']').toString(), engine(invoker));
        assertEquals(ExecutionStatus.SUCCEEDED, r.status());
        assertEquals(40, Collections.max(peaks));
    }

    @Test
    void listenerSeesEveryEventAndMapProgress() {
        List<String> progress = Collections.synchronizedList(new ArrayList<>());
        AtomicInteger events = new AtomicInteger();
        ExecutionListener listener = new ExecutionListener() {
            @Override
            public void onEvent(String executionName, HistoryEvent event) {
                events.incrementAndGet();
            }

            @Override
            public void onMapProgress(String mapState, int completed, int failed, int total) {
                progress.add(mapState + " " + completed + "/" + total);
            }
        };
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","MaxConcurrency":1,"ItemProcessor":{"StartAt":"P","States":{
                  "P":{"Type":"Pass","End":true}}},"End":true}}}""";
        ExecutionResult r = run(def, "[1,2]", engine(LambdaInvoker.none()).listener(listener));
        assertEquals(List.of("M 1/2", "M 2/2"), progress);
        assertEquals(r.stats().historyEvents(), events.get());
    }

    @Test
    void invalidDefinitionsNameTheStateAndTheField() {
        DefinitionException e1 = assertThrows(DefinitionException.class, () -> StateMachine.parse(
                task(",\"Retry\":[{\"ErrorEquals\":[\"States.ALL\"],\"BackoffRate\":0.5}]")));
        assertTrue(e1.getMessage().contains("state 'T'") && e1.getMessage().contains("Retry[0].BackoffRate"), e1.getMessage());
        DefinitionException e2 = assertThrows(DefinitionException.class, () -> StateMachine.parse(
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Parameters\":{\"x.$\":\"States.Nope(1)\"},\"End\":true}}}"));
        assertTrue(e2.getMessage().contains("state 'P'") && e2.getMessage().contains("x.$"), e2.getMessage());
        DefinitionException e3 = assertThrows(DefinitionException.class, () -> StateMachine.parse(
                "{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"Next\":\"Q\"}}}"));
        assertTrue(e3.getMessage().contains("'Q'"), e3.getMessage());
        DefinitionException e4 = assertThrows(DefinitionException.class, () -> StateMachine.parse(
                "{\"StartAt\":\"M\",\"States\":{\"M\":{\"Type\":\"Map\",\"ItemReader\":{\"Resource\":\"arn:aws:states:::s3:getObject\"},"
                        + "\"ItemProcessor\":{\"StartAt\":\"P\",\"States\":{\"P\":{\"Type\":\"Pass\",\"End\":true}}},\"End\":true}}}"));
        assertTrue(e4.getMessage().contains("state 'M'") && e4.getMessage().contains("ItemReader"), e4.getMessage());
        assertThrows(DefinitionException.class, () -> StateMachine.parse("{\"StartAt\":"));
    }

    @Test
    void historyLimitFailsAtExactlyTwentyFiveThousandEvents() {
        String loop = """
                {"StartAt":"A","States":{"A":{"Type":"Pass","Next":"B"},"B":{"Type":"Pass","Next":"A"}}}""";
        ExecutionResult r = run(loop, "{}", engine(LambdaInvoker.none()).recordHistory(true));
        assertEquals("States.Runtime", r.error());
        assertEquals("The execution reached the maximum number of history events (25000).", r.cause());
        assertEquals(AwsLimits.SFN_STANDARD_HISTORY_EVENTS, r.stats().historyEvents());
        assertEquals("ExecutionFailed", r.history().get(r.history().size() - 1).type());
        ExecutionResult express = run("""
                {"StartAt":"Init","States":{"Init":{"Type":"Pass","Result":{"n":0},"Next":"Inc"},
                 "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
                 "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":7000,"Next":"Inc"}],"Default":"Done"},
                 "Done":{"Type":"Succeed"}}}""", "{}", engine(LambdaInvoker.none()).express(true));
        assertEquals(ExecutionStatus.SUCCEEDED, express.status());
        assertTrue(express.stats().historyEvents() > AwsLimits.SFN_STANDARD_HISTORY_EVENTS);
    }
}
