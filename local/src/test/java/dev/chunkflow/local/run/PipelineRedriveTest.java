package dev.chunkflow.local.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.sfn.ExecutionStore;

/**
 * {@code run --break-chunk} then {@code redrive}, each in its own session on one state dir (as two CLI
 * processes): the job is marked FAILED by JobFailedRule, the redrive re-runs only the broken chunk's
 * child execution, the job goes FAILED -> RUNNING -> SUCCEEDED with an ExecutionRedriven step, and the
 * outputs equal a clean run's.
 */
class PipelineRedriveTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();
    private static final String SM = "chunkflow-local-" + PipelineRun.STATE_MACHINE;

    /**
     * 4 chunks, Distributed Map (threshold 0), one chunk per child, one child at a time: a failed Map Run
     * stops its other children, which a redrive then runs too; in order, breaking the last chunk leaves
     * exactly one child to redrive.
     */
    private static PipelineRun.Options options(String jobId) {
        return new PipelineRun.Options(2_000, 7, null, 500, 0, 1, 1, 0, jobId, 0.001, false);
    }

    private static PrintStream quiet() {
        return new PrintStream(new ByteArrayOutputStream());
    }

    private static JsonNode job(Path stateDir, String jobId) throws Exception {
        try (LocalApp app = LocalApp.start(REPO, stateDir, java.util.Map.of(), java.util.Map.of(), 0, 0, null)) {
            var item = app.aws().dynamoDb().getItem(b -> b.tableName(app.table()).consistentRead(true)
                    .key(java.util.Map.of("job_id", software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromS(jobId)))).item();
            return Json.MAPPER.valueToTree(dev.chunkflow.offload.AttributeValues.toObject(
                    software.amazon.awssdk.services.dynamodb.model.AttributeValue.fromM(item)));
        }
    }

    @Test
    void aBrokenChunkFailsTheRunAndARedriveInAnotherSessionFinishesItWithTheCleanOutputs(@TempDir Path stateDir) throws Exception {
        RunReport clean = PipelineRun.execute(REPO, stateDir, options("clean"), quiet());
        assertEquals("SUCCEEDED", clean.status(), () -> clean.error() + " " + clean.cause());
        assertEquals(4, clean.num_chunks());
        assertEquals("DISTRIBUTED", clean.map_mode());

        RunReport broken = PipelineRun.execute(REPO, stateDir, options("broken").withBreakChunk(3), quiet());
        assertEquals("FAILED", broken.status());
        assertTrue(broken.cause().contains("--break-chunk 3") || broken.error().equals("States.ExceedToleratedFailureThreshold"),
                broken.error() + " " + broken.cause());
        JsonNode failedJob = job(stateDir, "broken");
        assertEquals("FAILED", failedJob.path("status").asText(), "JobFailedRule marked the job: " + failedJob);
        assertFalse(Files.exists(stateDir.resolve("s3/chunkflow-data/output/broken/_SUCCESS")), "no _SUCCESS for a failed run");

        RunReport redriven = PipelineRun.redrive(REPO, stateDir, "broken", options("broken"), quiet());
        assertEquals("SUCCEEDED", redriven.status(), () -> redriven.error() + " " + redriven.cause());
        assertEquals(1, redriven.functions().get("ProcessChunkFunction").invocations(), "only the broken chunk runs again");
        assertEquals(clean.output_sha256(), redriven.output_sha256(), "outputs equal a clean run's");
        assertEquals(clean.rows_in(), redriven.rows_in());
        assertEquals(clean.rows_out(), redriven.rows_out());

        JsonNode done = job(stateDir, "broken");
        assertEquals("SUCCEEDED", done.path("status").asText());
        List<String> steps = new java.util.ArrayList<>();
        done.path("execution_steps").forEach(s -> steps.add(s.path("name").asText() + ":" + s.path("status").asText()));
        assertTrue(steps.contains("ExecutionRedriven:RUNNING"), "the job says it was redriven: " + steps);

        ExecutionStore store = new ExecutionStore(stateDir);
        JsonNode execution = store.execution(SM, "broken").orElseThrow();
        assertEquals(1, execution.path("redriveCount").asInt());
        assertTrue(store.history(SM, "broken").toString().contains("\"ExecutionRedriven\""));

        // a second redrive of a SUCCEEDED execution is refused with AWS's reason
        IllegalArgumentException again = assertThrows(IllegalArgumentException.class,
                () -> PipelineRun.redrive(REPO, stateDir, "broken", options("broken"), quiet()));
        assertTrue(again.getMessage().contains("ExecutionNotRedrivable") && again.getMessage().contains("SUCCEEDED"), again.getMessage());
    }

    @Test
    void redriveRefusesOnceRunsDataMayHaveExpired(@TempDir Path stateDir) throws Exception {
        RunReport broken = PipelineRun.execute(REPO, stateDir, options("old").withBreakChunk(0), quiet());
        assertEquals("FAILED", broken.status());
        ExecutionStore store = new ExecutionStore(stateDir);
        var record = store.execution(SM, "old").orElseThrow();
        // started 15 days ago (beyond RunsRetentionDays=14), ended 1 day ago (inside the 14-day redrive window)
        double now = System.currentTimeMillis() / 1000.0;
        record.put("startDate", now - 15 * 86_400);
        record.put("stopDate", now - 86_400);
        store.saveExecution(SM, record);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PipelineRun.redrive(REPO, stateDir, "old", options("old"), quiet()));
        assertTrue(e.getMessage().contains("RunsRetentionDays=14") && e.getMessage().contains("runs/old/"), e.getMessage());
        assertEquals("FAILED", AslJson.parse(AslJson.write(store.execution(SM, "old").orElseThrow())).path("status").asText());
    }
}
