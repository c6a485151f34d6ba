package dev.chunkflow.local.lambda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;

/**
 * Lambda's runtime limits through the real pipeline (template, state machine, handlers): a
 * ProcessChunk slowed past its Timeout by injected latency, and a low account concurrency.
 */
class LambdaLimitsPipelineTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    private static RunReport run(Path stateDir, PipelineRun.Options o) throws Exception {
        return PipelineRun.execute(REPO, stateDir, o, new PrintStream(new ByteArrayOutputStream()));
    }

    private static PipelineRun.Options options(long rows, Integer chunkRows, int mapConcurrency, double retryTimeScale,
                                               String jobId, LambdaRuntimeOptions lambda) {
        return new PipelineRun.Options(rows, 4, null, chunkRows, null, mapConcurrency, 10, 0, jobId, retryTimeScale, false)
                .withLambda(lambda);
    }

    @Test
    void processChunkSleepingPastItsTimeoutFailsWithSandboxTimedoutAfterTheTemplatesRetries(@TempDir Path stateDir)
            throws Exception {
        LambdaRuntimeOptions slow = LambdaRuntimeOptions.defaults()
                .withLatency(LambdaRuntimeOptions.parseLatency("ProcessChunk=400s"));

        long start = System.nanoTime();
        RunReport r = run(stateDir, options(2_000, null, 10, 0.001, "timeout", slow));
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;

        assertEquals("FAILED", r.status());
        assertEquals("Sandbox.Timedout", r.error(), r.cause());
        assertTrue(r.cause().contains("Task timed out after 300.00 seconds"), r.cause());
        assertEquals(1, r.num_chunks());
        // The template retries States.TaskFailed 3 times for ProcessChunk: 4 attempts, each timed out.
        RunReport.FunctionUsage pc = r.functions().get("ProcessChunkFunction");
        assertEquals(4, pc.invocations(), pc.toString());
        assertEquals(4, pc.timeouts(), pc.toString());
        assertTrue(seconds < 120, "virtual latency, not minutes of waiting: " + seconds + " s");
    }

    @Test
    void expressChildOfTheDistributedMapDiesAtFiveMinutesBeforeProcessChunksRetries(@TempDir Path stateDir) throws Exception {
        LambdaRuntimeOptions slow = LambdaRuntimeOptions.defaults()
                .withLatency(LambdaRuntimeOptions.parseLatency("ProcessChunk=400s"));

        RunReport r = run(stateDir, new PipelineRun.Options(2_000, 4, null, 1_000, 0, 10, 10, 0, "express-timeout", 0.001, false)
                .withLambda(slow));

        assertEquals("FAILED", r.status());
        assertEquals("DISTRIBUTED", r.map_mode());
        assertEquals("States.ExceedToleratedFailureThreshold", r.error(), r.cause());
        // One child (both chunks in one batch): its ProcessChunk times out at 300 s, and the retry's
        // backoff would take the child past 5 minutes, so it ends with States.Timeout after one attempt,
        // where the inline Map (a Standard execution) makes all 4.
        RunReport.FunctionUsage pc = r.functions().get("ProcessChunkFunction");
        assertEquals(1, pc.invocations(), pc.toString());
        assertEquals(1, pc.timeouts(), pc.toString());
    }

    @Test
    void anAccountConcurrencyBelowTheTemplatesReservationsIsRefused(@TempDir Path stateDir) {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> run(stateDir, options(100, null, 4, 0.001, "refused", LambdaRuntimeOptions.defaults().withAccountConcurrency(3))));
        assertTrue(e.getMessage().contains("more than the account's 3 (--account-concurrency)"), e.getMessage());
    }

    @Test
    void processIsolationRunsThePipelineWithTheSameOutputsAsInProcess(@TempDir Path stateDir) throws Exception {
        RunReport inProcess = run(stateDir.resolve("in-process"), options(3_000, 1_000, 4, 0.001, "in-process",
                LambdaRuntimeOptions.defaults()));
        java.io.ByteArrayOutputStream logs = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = dev.chunkflow.common.Log.stream();
        dev.chunkflow.common.Log.redirect(new PrintStream(logs, true, java.nio.charset.StandardCharsets.UTF_8));
        RunReport process;
        try {
            process = run(stateDir.resolve("process"), options(3_000, 1_000, 4, 0.001, "process",
                    LambdaRuntimeOptions.defaults().withIsolation(LambdaRuntimeOptions.Isolation.PROCESS)));
        } finally {
            dev.chunkflow.common.Log.redirect(previous);
        }

        assertEquals("SUCCEEDED", process.status(), () -> process.error() + " " + process.cause());
        assertEquals(inProcess.output_sha256(), process.output_sha256());
        assertEquals(inProcess.rows_out(), process.rows_out());
        assertTrue(process.aws_requests().getOrDefault("S3.PutObject", 0L) >= 3 * process.num_chunks(),
                "requests made in the child JVMs are counted: " + process.aws_requests());
        String logText = logs.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(logText.contains("\"level\""), "the child JVMs' log lines go where in-process logs go");
        assertTrue(stateDir.resolve("process").resolve("lambda").toFile().list().length == 0,
                "environments' directories are removed when the run ends");
    }
}
