package dev.chunkflow.local.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;

/**
 * Workloads other than the default through {@code chunkflow run}: the events workload end to end, and a
 * workload that fails a chunk, whose {@code WorkloadFailed} reaches Step Functions and fails the run
 * without {@code _SUCCESS}.
 */
class WorkloadRunsTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    private static RunReport run(Path stateDir, long rows, Path input, String workload, String jobId) throws Exception {
        PipelineRun.Options o = new PipelineRun.Options(rows, 4, input, 2_000, null, 4, 10, 0, jobId, 0.001, false)
                .withWorkload(workload);
        return PipelineRun.execute(REPO, stateDir, o, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void eventsRunEndToEndWithinEveryLimitAndRerunByteIdentical(@TempDir Path stateDir) throws Exception {
        RunReport r = run(stateDir, 20_000, null, "events", "events-a");
        assertEquals("SUCCEEDED", r.status(), () -> r.error() + " " + r.cause());
        assertTrue(r.num_chunks() >= 8, "chunks " + r.num_chunks());
        assertEquals(20_000, r.rows_in());
        assertTrue(r.rows_rejected() > 0 && r.rows_out() + r.rows_rejected() < r.rows_in(), r.toString());
        assertTrue(r.limit_violations().isEmpty(), r.limit_violations().toString());
        assertTrue(r.max_state_payload_bytes() < 8 * 1024, "largest state " + r.max_state_payload_bytes());
        Path out = stateDir.resolve("s3/chunkflow-data/output/events-a");
        assertTrue(Files.isDirectory(out.resolve("sessions")) && Files.isDirectory(out.resolve("daily")));
        assertTrue(Files.exists(out.resolve("_SUCCESS")));

        RunReport again = run(stateDir, 20_000, null, "events", "events-b");
        assertEquals(r.output_sha256(), again.output_sha256(), "same data, same plan, same bytes in every part");
    }

    @Test
    void aChunkTheWorkloadFailsOnFailsTheRunWithWorkloadFailedAndNoSuccess(@TempDir Path stateDir, @TempDir Path input)
            throws Exception {
        Files.writeString(input.resolve("a.jsonl"), "{\"user_id\":\"u1\"}\n{\"user_id\":\"u2\"}\n");
        RunReport r = run(stateDir, 0, input, "exploding-test", "exploding");
        assertEquals("FAILED", r.status());
        String failure = r.error() + " " + r.cause();
        assertTrue(failure.contains("dev.chunkflow.pipeline.process.WorkloadFailed"), failure);
        assertTrue(failure.contains("IllegalStateException"), failure);
        Path out = stateDir.resolve("s3/chunkflow-data/output/exploding");
        assertFalse(Files.exists(out.resolve("_SUCCESS")));
        assertFalse(Files.exists(out.resolve("nothing")), "nothing of the failed chunk is published");
    }
}
