package dev.chunkflow.local.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.local.lambda.LambdaRuntimeOptions;

/**
 * A 4-chunk job, cleanly and then under the faults that found bugs (each the exact fault), plus a
 * seeded sample of the other points: nothing may diverge. The full campaign is scripts/chaos.sh.
 */
class ChaosCampaignTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    /** The faults that broke an invariant before their fix (docs/reliability.md). */
    static final List<String> REGRESSIONS = List.of(
            // Crash after the chunk's result was created: the retry saw the result and skipped the counter ADD.
            "ProcessChunkFunction/chunk-0:S3.PutObject#-1:crash-after",
            // Crash after the counters were added, before the result: the retry must not add them again.
            "ProcessChunkFunction/chunk-1:S3.PutObject#-1:crash-before",
            // The counter ADD applied, then a timeout: the SDK's retry must not add them again.
            "ProcessChunkFunction/chunk-2:DynamoDb.UpdateItem#1:ambiguous",
            // Summarize's job update applied, then a timeout: the store's re-plan appended its steps twice.
            "SummarizeFunction/#1:DynamoDb.UpdateItem#-1:ambiguous",
            // Summarize died after its job update: the redriven Summarize appended its steps twice.
            "SummarizeFunction/#1:DynamoDb.UpdateItem#-1:crash-after",
            // The source read reset half-way: GetChunks failed with a bare UncheckedIOException (now resumed).
            "GetChunksFunction/#1:S3.GetObject:get-reset");

    @Test
    void regressionsAndASeededSampleOfPointsDoNotDiverge(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        ChaosOptions o = new ChaosOptions(2000, 500, 1, 7, false, 0, 0, 2, null, 1, dir,
                LambdaRuntimeOptions.defaults(), 0.001, REGRESSIONS);
        ChaosReport r = ChaosCampaign.run(REPO, o, new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertEquals(4, r.num_chunks());
        assertEquals(REGRESSIONS.size() + 2, r.runs());
        assertTrue(r.faults_injected() >= r.runs(), "every run got its fault: " + r.faults_injected());
        assertTrue(r.redriven() >= 1, "Summarize's crash fails the execution, which the campaign redrives");
        assertTrue(r.crash_points() > 40, "crash points: " + r.crash_points());
        assertEquals(List.of(), r.divergent(), progress.toString(StandardCharsets.UTF_8));
    }
}
