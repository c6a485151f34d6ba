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

import dev.chunkflow.common.Json;
import dev.chunkflow.local.faults.FaultKind;
import dev.chunkflow.local.faults.FaultScope;
import dev.chunkflow.local.faults.FaultedInvocation;
import dev.chunkflow.local.faults.InvocationFaults;
import dev.chunkflow.testkit.EmbeddedAws;

/**
 * An injected sandbox crash under process isolation: the environment's JVM is killed (SIGKILL) at the
 * SDK call, the invocation fails with Lambda's {@code Runtime.ExitError}, the next one gets a new JVM.
 */
class ProcessCrashTest {
    @TempDir
    Path root;

    @Test
    void aCrashAtAnSdkCallKillsTheEnvironmentsProcess() throws Exception {
        List<String> logs = new CopyOnWriteArrayList<>();
        try (EmbeddedAws aws = EmbeddedAws.inMemory()) {
            FunctionConfig config = new FunctionConfig("Fn", TestHandlers.TwoS3Calls.class.getName(), 256, 60, 512,
                    OptionalInt.empty(), aws.env().vars());
            LocalFunctionPool pool = new LocalFunctionPool(config,
                    () -> ProcessEnvironment.start(config, root, null, logs::add, (k, v) -> { }),
                    Duration.ZERO, new ConcurrencyLimits(10, Map.of()));
            try {
                FaultedInvocation clean = new FaultedInvocation("Fn/#1", 1, InvocationFaults.NONE);
                long pid = Json.readTree(pool.invoke("{}".getBytes(StandardCharsets.UTF_8), clean)).path("pid").asLong();
                assertEquals(List.of("S3.ListBuckets", "S3.ListBuckets"), clean.calls(), "the environment reports its calls");

                FaultedInvocation crash = new FaultedInvocation("Fn/#2", 1,
                        InvocationFaults.at(2, FaultKind.CRASH_BEFORE, FaultScope.CALL));
                FunctionError e = assertThrows(FunctionError.class, () -> pool.invoke("{}".getBytes(StandardCharsets.UTF_8), crash));
                assertEquals(LambdaErrors.EXIT_ERROR, e.errorType());
                assertTrue(e.getMessage().contains("signal: killed"), e.getMessage());
                assertFalse(crash.complete(), "a killed environment reports nothing");
                assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "the JVM is gone");

                long next = Json.readTree(pool.invoke("{}".getBytes(StandardCharsets.UTF_8))).path("pid").asLong();
                assertNotEquals(pid, next, "a new environment");
                assertEquals(2, pool.usage().environments());
            } finally {
                pool.close();
            }
        }
    }
}
