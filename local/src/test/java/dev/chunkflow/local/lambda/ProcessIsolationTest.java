package dev.chunkflow.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

/**
 * {@code --isolation process}: each execution environment a JVM of its own, with the function's memory
 * as its heap bound and a private /tmp capped at its EphemeralStorage; reused while healthy, replaced
 * after a timeout, an out-of-memory error or a crash, each reported as Lambda reports it.
 */
class ProcessIsolationTest {
    @TempDir
    Path root;

    private final List<String> logs = new CopyOnWriteArrayList<>();

    private LocalFunctionPool pool(Class<?> handler, int memoryMb, int timeoutSeconds, int ephemeralMb) {
        FunctionConfig config = new FunctionConfig("Fn", handler.getName(), memoryMb, timeoutSeconds, ephemeralMb,
                OptionalInt.empty(), Map.of());
        return new LocalFunctionPool(config, () -> ProcessEnvironment.start(config, root, null, logs::add, (k, v) -> { }),
                Duration.ZERO, new ConcurrencyLimits(10, Map.of()));
    }

    private static JsonNode call(LocalFunctionPool p, String json) {
        return Json.readTree(p.invoke(json.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void environmentIsAReusedJvmWithTheFunctionsMemoryAsHeapBoundAndAPrivateTmp() {
        LocalFunctionPool p = pool(TestHandlers.Describe.class, 256, 30, 512);
        try {
            JsonNode first = call(p, "{}");
            JsonNode second = call(p, "{}");

            assertNotEquals(ProcessHandle.current().pid(), first.path("pid").asLong(), "not this JVM");
            assertEquals(first.path("pid").asLong(), second.path("pid").asLong(), "the environment is reused");
            assertEquals(1, p.usage().environments());
            long heap = first.path("max_heap").asLong();
            assertTrue(heap > 150L << 20 && heap <= 256L << 20, "heap bound from MemorySize 256: " + heap);
            assertEquals("256", first.path("memory_env").asText());
            assertEquals(256, first.path("memory_context").asInt());
            assertTrue(Path.of(first.path("tmpdir").asText()).startsWith(root), first.path("tmpdir").asText());
            assertTrue(logs.stream().anyMatch(l -> l.contains("describe handler ran")), "handler output reaches the log: " + logs);
        } finally {
            p.close();
        }
    }

    @Test
    void outOfMemoryFailsAsTheJavaRuntimeReportsItAndEndsTheEnvironment() {
        LocalFunctionPool p = pool(TestHandlers.Allocate.class, 128, 30, 512);
        try {
            FunctionError e = assertThrows(FunctionError.class, () -> call(p, "{\"mb\":400}"));
            assertEquals("java.lang.OutOfMemoryError", e.errorType(), e.causeJson());

            assertEquals(8, call(p, "{\"mb\":8}").path("held_mb").asInt());
            assertEquals(2, p.usage().environments(), "the runtime exited after the error; a new one served the next call");
        } finally {
            p.close();
        }
    }

    @Test
    void aCrashedRuntimeIsRuntimeExitErrorWithItsExitStatus() {
        LocalFunctionPool p = pool(TestHandlers.Halt.class, 128, 30, 512);
        try {
            FunctionError e = assertThrows(FunctionError.class, () -> call(p, "{\"status\":3}"));
            assertEquals("Runtime.ExitError", e.errorType());
            assertTrue(e.causeJson().contains("Runtime exited with error: exit status 3"), e.causeJson());
        } finally {
            p.close();
        }
    }

    @Test
    void timeoutKillsTheEnvironmentsProcess() {
        LocalFunctionPool p = pool(TestHandlers.Sleep.class, 128, 2, 512);
        try {
            call(p, "{\"millis\":1}"); // started and warm
            ProcessEnvironment env = (ProcessEnvironment) p.liveEnvironments().get(0);

            FunctionError e = assertThrows(FunctionError.class, () -> call(p, "{\"millis\":60000}"));

            assertEquals("Sandbox.Timedout", e.errorType());
            assertTrue(e.causeJson().contains("Task timed out after 2.00 seconds"), e.causeJson());
            assertFalse(ProcessHandle.of(env.pid()).map(ProcessHandle::isAlive).orElse(false), "killed, not left running");
            assertTrue(p.liveEnvironments().isEmpty());
        } finally {
            p.close();
        }
    }

    @Test
    void tmpOverTheEphemeralStorageSizeFailsTheInvocation() {
        LocalFunctionPool p = pool(TestHandlers.WriteTmp.class, 128, 30, 2);
        try {
            assertEquals(1, call(p, "{\"mb\":1}").path("files").asInt());
            assertEquals(2, call(p, "{\"mb\":0}").path("files").asInt(), "/tmp survives between invocations of one environment");

            FunctionError e = assertThrows(FunctionError.class, () -> call(p, "{\"mb\":2}"));

            assertEquals("Runtime.ExitError", e.errorType());
            assertTrue(e.causeJson().contains("EphemeralStorage of 2 MB"), e.causeJson());
            assertEquals(1, call(p, "{\"mb\":0}").path("files").asInt(), "a new environment starts with an empty /tmp");
        } finally {
            p.close();
        }
    }

    @Test
    void theMemoryBudgetEndsIdleEnvironmentsToMakeRoom() {
        EnvironmentBudget budget = new EnvironmentBudget(300);
        FunctionConfig a = new FunctionConfig("A", TestHandlers.Describe.class.getName(), 200, 30, 512, OptionalInt.empty(), Map.of());
        FunctionConfig b = new FunctionConfig("B", TestHandlers.Describe.class.getName(), 200, 30, 512, OptionalInt.empty(), Map.of());
        ConcurrencyLimits limits = new ConcurrencyLimits(10, Map.of());
        LocalFunctionPool pa = new LocalFunctionPool(a, () -> {
            budget.acquire(a);
            return ProcessEnvironment.start(a, root, null, logs::add, (k, v) -> { }).whenClosed(() -> budget.release(200));
        }, Duration.ZERO, limits);
        LocalFunctionPool pb = new LocalFunctionPool(b, () -> {
            budget.acquire(b);
            return ProcessEnvironment.start(b, root, null, logs::add, (k, v) -> { }).whenClosed(() -> budget.release(200));
        }, Duration.ZERO, limits);
        budget.register(pa);
        budget.register(pb);
        try {
            call(pa, "{}");
            assertEquals(200, budget.usedMb());
            call(pb, "{}"); // 400 > 300: A's idle environment is ended first
            assertEquals(200, budget.usedMb());
            assertTrue(pa.liveEnvironments().isEmpty());
            assertEquals(1, pb.liveEnvironments().size());
            assertThrows(IllegalArgumentException.class, () -> budget.acquire(
                    new FunctionConfig("Big", "x", 400, 30, 512, OptionalInt.empty(), Map.of())));
        } finally {
            pa.close();
            pb.close();
        }
    }
}
