package dev.chunkflow.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TaskFailure;

/**
 * Concurrency limits under a Map: 4 iterations at once against a function with 2 reserved (or an
 * account of 2): the excess calls are refused with Lambda.TooManyRequestsException before the handler
 * runs, and a retrier like the template's carries the Map through.
 */
class ConcurrencyInTheEngineTest {
    private static final String RETRY = """
            [{"ErrorEquals":["Lambda.TooManyRequestsException"],"IntervalSeconds":1,"MaxAttempts":20,"BackoffRate":1.5,
              "MaxDelaySeconds":2}]""";

    private static ExecutionResult run(ConcurrencyLimits limits, String retry, LocalFunctionPool[] poolOut) {
        FunctionConfig config = new FunctionConfig("Fn", TestHandlers.Sleep.class.getName(), 512, 30,
                FunctionConfig.DEFAULT_EPHEMERAL_STORAGE_MB, OptionalInt.empty(), Map.of());
        LocalFunctionPool pool = new LocalFunctionPool(config, () -> new InProcessEnvironment(
                LocalFunction.load("Fn", config.handler(), null, 512, 30)), Duration.ZERO, limits);
        poolOut[0] = pool;
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemsPath":"$.items","MaxConcurrency":4,
                  "ItemProcessor":{"StartAt":"T","States":{"T":{"Type":"Task",
                    "Resource":"arn:aws:lambda:us-east-1:000000000000:function:Fn","Retry":%s,"End":true}}},
                  "End":true}}}""".formatted(retry);
        try (AslEngine engine = AslEngine.builder()
                .lambdaInvoker((fn, payload) -> {
                    try {
                        return pool.invoke(payload);
                    } catch (FunctionError e) {
                        throw new TaskFailure(e.errorType(), e.causeJson());
                    }
                })
                .timeSource(dev.chunkflow.local.asl.TimeSource.system())
                .build()) {
            return engine.execute(StateMachine.parse(def),
                    "{\"items\":[{\"millis\":400},{\"millis\":400},{\"millis\":400},{\"millis\":400},"
                            + "{\"millis\":400},{\"millis\":400}]}", "concurrency");
        }
    }

    @Test
    void reservedConcurrencyThrottlesTheExcessAndTheRetrierCarriesTheMapThrough() {
        LocalFunctionPool[] pool = new LocalFunctionPool[1];
        ExecutionResult r = run(new ConcurrencyLimits(10, Map.of("Fn", 2)), RETRY, pool);

        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.error() + " " + r.cause());
        assertEquals(6, pool[0].usage().invocations(), "throttled calls are not invocations");
        assertTrue(pool[0].usage().throttles() > 0, "4 at once against 2 reserved");
        assertTrue(pool[0].usage().environments() <= 2, "never more environments than the reservation: " + pool[0].usage());
    }

    @Test
    void withoutARetrierTheThrottleFailsTheMap() {
        ExecutionResult r = run(new ConcurrencyLimits(2, Map.of()), "[]", new LocalFunctionPool[1]);

        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals("Lambda.TooManyRequestsException", r.error(), r.cause());
    }
}
