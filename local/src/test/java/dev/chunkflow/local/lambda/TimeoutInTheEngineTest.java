package dev.chunkflow.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.asl.TimeSource;

/**
 * A function timeout as the engine sees it: Error {@code Sandbox.Timedout} (current runtimes), which
 * {@code States.TaskFailed} matches and a Retry naming only {@code Lambda.Unknown} (the guide's name,
 * from older runtimes) does not.
 */
class TimeoutInTheEngineTest {
    private static ExecutionResult run(String errorEquals, LocalFunctionPool pool) {
        String def = """
                {"StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:000000000000:function:Fn",
                  "Retry":[{"ErrorEquals":["%s"],"IntervalSeconds":1,"MaxAttempts":2}],"End":true}}}""".formatted(errorEquals);
        try (AslEngine engine = AslEngine.builder()
                .lambdaInvoker((fn, payload) -> {
                    try {
                        return pool.invoke(payload);
                    } catch (FunctionError e) {
                        throw new TaskFailure(e.errorType(), e.causeJson());
                    }
                })
                .timeSource(TimeSource.virtual(Instant.parse("2026-01-01T00:00:00Z")))
                .build()) {
            return engine.execute(StateMachine.parse(def), "{}", "timeout");
        }
    }

    private static LocalFunctionPool slowPool() {
        FunctionConfig config = new FunctionConfig("Fn", TestHandlers.RemainingTime.class.getName(), 512, 300,
                FunctionConfig.DEFAULT_EPHEMERAL_STORAGE_MB, OptionalInt.empty(), Map.of());
        return new LocalFunctionPool(config, () -> new InProcessEnvironment(
                LocalFunction.load("Fn", config.handler(), null, 512, 300)), Duration.ofSeconds(400),
                new ConcurrencyLimits(10, Map.of()));
    }

    @Test
    void statesTaskFailedRetriesATimeoutAndTheErrorIsSandboxTimedout() {
        LocalFunctionPool pool = slowPool();
        ExecutionResult r = run("States.TaskFailed", pool);

        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals("Sandbox.Timedout", r.error());
        assertEquals(3, pool.usage().timeouts(), "1 attempt + 2 retries");
    }

    @Test
    void aRetryNamingOnlyLambdaUnknownDoesNotMatchAJava21Timeout() {
        LocalFunctionPool pool = slowPool();
        ExecutionResult r = run("Lambda.Unknown", pool);

        assertEquals("Sandbox.Timedout", r.error());
        assertEquals(1, pool.usage().timeouts(), "not retried");
    }
}
