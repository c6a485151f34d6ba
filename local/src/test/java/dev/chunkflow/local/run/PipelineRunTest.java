package dev.chunkflow.local.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.limits.AwsLimits;

/**
 * {@code chunkflow run} end to end: the real template, state machine definition and handlers under the
 * local engine with every AWS limit enforced, against the embedded S3 and DynamoDB.
 */
class PipelineRunTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    private static PipelineRun.Options options(long rows, long seed, Integer chunkRows, Integer inlineThreshold,
                                               int batchSize, double faults, String jobId) {
        return new PipelineRun.Options(rows, seed, null, chunkRows, inlineThreshold, 10, batchSize, faults, jobId, 0.001, false);
    }

    private static RunReport run(Path stateDir, PipelineRun.Options o) throws Exception {
        return PipelineRun.execute(REPO, stateDir, o, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void runs200kRowsInlineWithinEveryLimit(@TempDir Path stateDir) throws Exception {
        RunReport r = run(stateDir, options(200_000, 11, 20_000, null, 10, 0, "inline-200k"));

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + " " + r.cause());
        assertEquals("INLINE", r.map_mode());
        assertTrue(r.num_chunks() >= 10, "chunks: " + r.num_chunks());
        assertEquals(200_000, r.rows_in());
        assertTrue(r.rows_out() > 150_000 && r.rows_rejected() > 0, r.toString());
        assertTrue(r.rows_out() + r.rows_rejected() < r.rows_in(), "duplicates are dropped");
        assertTrue(r.limit_violations().isEmpty(), r.limit_violations().toString());
        assertTrue(r.max_state_payload_bytes() < 8 * 1024, "largest state " + r.max_state_payload_bytes());
        assertTrue(r.max_lambda_response_bytes() < 8 * 1024, "largest response " + r.max_lambda_response_bytes());
        assertTrue(r.history_events() < AwsLimits.SFN_STANDARD_HISTORY_EVENTS);
        assertEquals(64, r.output_sha256().length());
        // What the run cost: one ProcessChunk call per chunk (inline, no faults), and the requests they made.
        assertEquals(r.num_chunks(), r.functions().get("ProcessChunkFunction").invocations());
        assertEquals(2048, r.functions().get("ProcessChunkFunction").memory_mb());
        assertTrue(r.functions().get("GetChunksFunction").billed_ms() > 0);
        assertTrue(r.aws_requests().getOrDefault("S3.PutObject", 0L) >= 3 * r.num_chunks(), r.aws_requests().toString());
        assertEquals(1L, r.aws_requests().get("Sfn.StartExecution"), r.aws_requests().toString());
        // Under the template's IAM roles (on by default): nothing denied.
        assertTrue(r.iam().enforced());
        assertEquals(0, r.iam().denied_calls(), r.iam().verdict());
    }

    @Test
    void thousandsOfChunksGoDistributedAndStaySmall(@TempDir Path stateDir) throws Exception {
        // 2,500 chunks: past the inline threshold by 2.5x, 50 children; bench payload_scaling takes it to 100,000.
        RunReport r = run(stateDir, options(6_000, 5, 2, 1000, 50, 0, "distributed-2k5"));

        assertEquals("SUCCEEDED", r.status(), () -> r.error() + " " + r.cause());
        assertEquals("DISTRIBUTED", r.map_mode());
        assertTrue(r.num_chunks() >= 2_500, "chunks: " + r.num_chunks());
        assertTrue(r.child_executions() >= r.num_chunks() / 50, "children: " + r.child_executions());
        assertTrue(r.max_state_payload_bytes() < 8 * 1024, "largest state " + r.max_state_payload_bytes());
        assertTrue(r.history_events() < AwsLimits.SFN_STANDARD_HISTORY_EVENTS, "events " + r.history_events());
        assertTrue(r.max_child_history_events() < AwsLimits.SFN_STANDARD_HISTORY_EVENTS);
        assertTrue(r.limit_violations().isEmpty(), r.limit_violations().toString());
        assertEquals(6_000, r.rows_in());
        // The Distributed Map's ItemReader and ResultWriter ran under the state machine's role.
        assertEquals(0, r.iam().denied_calls(), r.iam().verdict());
        assertTrue(r.iam().principals().get(PipelineRun.STATE_MACHINE).used().stream()
                .anyMatch(u -> u.action().equals("s3:GetObject") && u.resource().endsWith("/chunks/ids.json")), r.iam().toString());
    }

    /**
     * Batches that stop at their deadline (budget 0: one chunk per invocation) leave chunks unprocessed;
     * the further Distributed Map passes process them, and the run counts every row once with the same
     * outputs as a run whose batches never stopped.
     */
    @Test
    void batchesStoppedAtTheirDeadlineAreFinishedByLaterPassesAndCountedOnce(@TempDir Path stateDir) throws Exception {
        PipelineRun.Options o = options(800, 7, 100, 0, 3, 0, "deadline");
        RunReport whole = run(stateDir.resolve("whole"), o);
        RunReport stopped = PipelineRun.execute(REPO, stateDir.resolve("stopped"), o, new PrintStream(new ByteArrayOutputStream()),
                java.util.Map.of("BATCH_TIME_BUDGET_SECONDS", "0"));

        assertEquals("SUCCEEDED", whole.status(), () -> whole.error() + " " + whole.cause());
        assertEquals("SUCCEEDED", stopped.status(), () -> stopped.error() + " " + stopped.cause());
        assertEquals("DISTRIBUTED", stopped.map_mode());
        assertTrue(stopped.num_chunks() >= 6, "chunks: " + stopped.num_chunks());
        java.nio.file.Path chunks = stateDir.resolve("stopped/s3/chunkflow-data/runs/deadline/chunks");
        assertTrue(java.nio.file.Files.exists(chunks.resolve("unprocessed-0.json")), "a second pass was needed");
        assertTrue(stopped.child_executions() > whole.child_executions(), stopped.child_executions() + " children");
        assertEquals(800, stopped.rows_in());
        assertEquals(whole.rows_in(), stopped.rows_in());
        assertEquals(whole.rows_out(), stopped.rows_out());
        assertEquals(whole.rows_rejected(), stopped.rows_rejected());
        assertEquals(whole.output_sha256(), stopped.output_sha256());
    }

    @Test
    void injectedLambdaFaultsAreRetriedAndOutputsStayByteIdentical(@TempDir Path stateDir) throws Exception {
        RunReport clean = run(stateDir.resolve("clean"), options(30_000, 3, 1_500, null, 10, 0, "clean"));
        RunReport faulty = run(stateDir.resolve("faulty"), options(30_000, 3, 1_500, null, 10, 0.1, "faulty"));

        assertEquals("SUCCEEDED", clean.status(), () -> clean.error() + " " + clean.cause());
        assertEquals("SUCCEEDED", faulty.status(), () -> faulty.error() + " " + faulty.cause());
        assertTrue(faulty.injected_faults() > 0, "no fault was injected");
        assertTrue(faulty.lambda_invocations() > clean.lambda_invocations(), "retries add invocations");
        assertEquals(clean.rows_out(), faulty.rows_out());
        assertEquals(clean.rows_rejected(), faulty.rows_rejected());
        assertEquals(clean.output_sha256(), faulty.output_sha256());
    }
}
