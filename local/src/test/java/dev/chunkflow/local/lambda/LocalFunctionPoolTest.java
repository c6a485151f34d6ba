package dev.chunkflow.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

/**
 * Timeout, injected latency and concurrency, one function at a time, with real handlers in this JVM:
 * the invocation's clock is real time plus the injected latency, and the Timeout is measured on it.
 */
class LocalFunctionPoolTest {
    private static LocalFunctionPool pool(Class<?> handler, int timeoutSeconds, Duration latency, ConcurrencyLimits limits) {
        FunctionConfig config = new FunctionConfig("Fn", handler.getName(), 512, timeoutSeconds,
                FunctionConfig.DEFAULT_EPHEMERAL_STORAGE_MB, OptionalInt.empty(), Map.of());
        return new LocalFunctionPool(config, () -> new InProcessEnvironment(
                LocalFunction.load("Fn", handler.getName(), null, 512, timeoutSeconds)), latency, limits);
    }

    private static ConcurrencyLimits account(int n) {
        return new ConcurrencyLimits(n, Map.of());
    }

    private static JsonNode json(byte[] b) {
        return Json.readTree(b);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void injectedLatencyShortensTheRemainingTimeTheHandlerSees() {
        LocalFunctionPool p = pool(TestHandlers.RemainingTime.class, 300, Duration.ofSeconds(250), account(10));

        long remaining = json(p.invoke(bytes("{}"))).path("remaining_ms").asLong();

        assertTrue(remaining <= 50_000 && remaining > 40_000, "300 s Timeout - 250 s latency, got " + remaining + " ms");
        assertEquals(0, p.usage().timeouts());
    }

    @Test
    void latencyAtTheTimeoutFailsWithSandboxTimedoutWithoutRunningTheHandler() {
        LocalFunctionPool p = pool(TestHandlers.RemainingTime.class, 300, Duration.ofSeconds(400), account(10));
        int before = TestHandlers.RemainingTime.CALLS.get();

        FunctionError e = assertThrows(FunctionError.class, () -> p.invoke(bytes("{}")));

        assertEquals("Sandbox.Timedout", e.errorType());
        JsonNode cause = json(bytes(e.causeJson()));
        assertEquals("Sandbox.Timedout", cause.path("errorType").asText());
        assertTrue(cause.path("errorMessage").asText().endsWith("Task timed out after 300.00 seconds"), e.causeJson());
        assertEquals(before, TestHandlers.RemainingTime.CALLS.get(), "the handler never got past the injected latency");
        assertEquals(1, p.usage().timeouts());
    }

    @Test
    void aHandlerThatReallyRunsPastItsTimeoutIsAbandonedAndItsEnvironmentReplaced() {
        LocalFunctionPool p = pool(TestHandlers.Sleep.class, 1, Duration.ZERO, account(10));

        long start = System.nanoTime();
        FunctionError e = assertThrows(FunctionError.class, () -> p.invoke(bytes("{\"millis\":30000}")));
        long waitedMs = (System.nanoTime() - start) / 1_000_000;

        assertEquals("Sandbox.Timedout", e.errorType());
        assertTrue(waitedMs < 10_000, "failed at the 1 s Timeout, not after the handler's 30 s: " + waitedMs + " ms");
        assertEquals("{\"slept\":true}", new String(p.invoke(bytes("{\"millis\":1}")), StandardCharsets.UTF_8));
        assertEquals(2, p.usage().environments(), "a timed-out environment is not reused");
    }

    @Test
    void environmentsAreReusedAfterSuccessfulInvocations() {
        LocalFunctionPool p = pool(TestHandlers.Sleep.class, 5, Duration.ZERO, account(10));
        p.invoke(bytes("{\"millis\":1}"));
        p.invoke(bytes("{\"millis\":1}"));
        assertEquals(1, p.usage().environments());
    }

    @Test
    void reservedAndAccountConcurrencyThrottleWithTooManyRequests() {
        ConcurrencyLimits limits = new ConcurrencyLimits(3, Map.of("Reserved", 1));
        limits.acquire("Reserved");
        FunctionError reserved = assertThrows(FunctionError.class, () -> limits.acquire("Reserved"));
        assertEquals("Lambda.TooManyRequestsException", reserved.errorType());

        limits.acquire("Other");
        limits.acquire("Another");
        FunctionError account = assertThrows(FunctionError.class, () -> limits.acquire("Other"),
                "the account's 3 minus the 1 reserved leaves 2 for everything else");
        assertTrue(account.getMessage().contains("1 reserved by other functions"), account.getMessage());

        limits.release("Other");
        limits.acquire("Other");
        limits.release("Reserved");
        limits.acquire("Reserved");
        assertEquals(2, limits.throttled());
    }

    @Test
    void reservingMoreThanTheAccountHasIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ConcurrencyLimits(5, Map.of("A", 3, "B", 3)));
        assertTrue(e.getMessage().contains("reserves 6"), e.getMessage());
    }

    @Test
    void latencySpecIsParsedAndMatchedByShortOrLogicalName() {
        LambdaRuntimeOptions o = LambdaRuntimeOptions.defaults()
                .withLatency(LambdaRuntimeOptions.parseLatency("ProcessChunk=400s,GetChunksFunction=250ms,X=2m"));
        assertEquals(Duration.ofSeconds(400), o.latencyFor("ProcessChunkFunction"));
        assertEquals(Duration.ofMillis(250), o.latencyFor("GetChunksFunction"));
        assertEquals(Duration.ofMinutes(2), o.latencyFor("X"));
        assertEquals(Duration.ZERO, o.latencyFor("StartJobFunction"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LambdaRuntimeOptions.parseLatency("ProcessChunk=fast"));
        assertTrue(e.getMessage().startsWith("--latency: 'ProcessChunk=fast'"), e.getMessage());
    }
}
