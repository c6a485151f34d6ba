package dev.chunkflow.pipeline.process;

import dev.chunkflow.pipeline.summarize.RunIncomplete;
import dev.chunkflow.pipeline.summarize.SummarizeService;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.pipeline.plan.GetChunksOutput;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.e2e.TestData;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;

@ExtendWith(AwsExtension.class)
class ProcessChunkAndSummarizeTest {

    private static GetChunksOutput plan(EmbeddedAws aws, String jobId, int rows) {
        String prefix = "input/" + jobId + "/";
        TestData.upload(aws, prefix, SampleDataGenerator.Config.of(rows, jobId.hashCode()).withFiles(2));
        GetChunksService.Settings s = new GetChunksService.Settings(50_000, 1000, 64L << 20, 256,
                Path.of(System.getProperty("java.io.tmpdir")), 4);
        return new GetChunksService(new S3Io(aws.s3()), aws.bucket(), s).run(new GetChunksService.Request(jobId, null, prefix, 1_000));
    }

    private static ProcessChunkService processor(EmbeddedAws aws) {
        return new ProcessChunkService(new S3Io(aws.s3()), aws.bucket(),
                () -> TokenSecret.LOCAL_DEFAULT.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                JobProgress.of(() -> JobStore.fromEnv(aws.clients())));
    }

    private static long counter(EmbeddedAws aws, String jobId, String name) {
        Object v = JobStore.fromEnv(aws.clients()).read(jobId).orElseThrow().get(name);
        return v == null ? 0 : ((Number) v).longValue();
    }

    @Test
    void aRetriedChunkWritesIdenticalBytesAndCountsOnce(EmbeddedAws aws) {
        String job = "pc-retry";
        plan(aws, job, 3_000);
        ProcessChunkService p = processor(aws);
        Manifest head = p.manifestHead(job);
        ProcessChunkService.Outcome first = p.process(job, 1, head);
        assertTrue(first.counted());
        Map<String, byte[]> before = TestData.objects(aws, RunLayout.outputPrefix(job));
        byte[] result = TestData.get(aws, RunLayout.resultKey(job, 1));
        ProcessChunkService.Outcome retry = p.process(job, 1, head);
        assertFalse(retry.counted());
        assertEquals(first.rows(), retry.rows());
        Map<String, byte[]> after = TestData.objects(aws, RunLayout.outputPrefix(job));
        assertEquals(3, after.size());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
        assertArrayEquals(result, TestData.get(aws, RunLayout.resultKey(job, 1)));
        assertEquals(first.rows().rowsIn(), counter(aws, job, "rows_in"));
        assertEquals(1, counter(aws, job, "chunks_done"));
    }

    @Test
    void chunkIdsOutsideTheManifestAndJobsWithoutAPlanAreInvalidInput(EmbeddedAws aws) {
        String job = "pc-outside";
        GetChunksOutput out = plan(aws, job, 1_500);
        ProcessChunkService p = processor(aws);
        InvalidInput outside = assertThrows(InvalidInput.class, () -> p.process(job, out.numChunks(), p.manifestHead(job)));
        assertEquals("chunk_id", outside.field());
        InvalidInput noPlan = assertThrows(InvalidInput.class, () -> p.manifestHead("pc-never-planned"));
        assertEquals("job_id", noPlan.field());
    }

    @Test
    void dataThatDisagreesWithTheKeySetFailsLoudlyAndWritesNothing(EmbeddedAws aws) throws Exception {
        String job = "pc-mismatch";
        plan(aws, job, 2_000);
        String dataKey = RunLayout.dataKey(job, 0);
        List<String> lines = new String(TestData.get(aws, dataKey), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
        String truncated = String.join("\n", lines.subList(0, lines.size() - 1)) + "\n";
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(dataKey), RequestBody.fromString(truncated));
        ProcessChunkService p = processor(aws);
        ChunkMismatch e = assertThrows(ChunkMismatch.class, () -> p.process(job, 0, p.manifestHead(job)));
        assertTrue(e.getMessage().contains("the data has " + (lines.size() - 2)), e.getMessage());
        assertFalse(e.getMessage().matches("(?s).*\\d{3}-\\d{2}-\\d{4}.*"), "no SSN in the error");
        assertTrue(TestData.objects(aws, RunLayout.outputPrefix(job)).isEmpty());
        assertTrue(TestData.objects(aws, RunLayout.resultsPrefix(job)).isEmpty());
    }

    @Test
    void summarizeRefusesAMissingChunkAndNeverWritesSuccessEarly(EmbeddedAws aws) {
        String job = "sum-gap";
        GetChunksOutput out = plan(aws, job, 3_000);
        assertTrue(out.numChunks() >= 3);
        ProcessChunkService p = processor(aws);
        Manifest head = p.manifestHead(job);
        for (int c = 0; c < out.numChunks() - 1; c++) {
            p.process(job, c, head);
        }
        SummarizeService s = new SummarizeService(new S3Io(aws.s3()), aws.bucket(),
                JobProgress.of(() -> JobStore.fromEnv(aws.clients())));
        RunIncomplete e = assertThrows(RunIncomplete.class, () -> s.run(job));
        assertTrue(e.getMessage().contains("1 of " + out.numChunks() + " chunk results are missing"), e.getMessage());
        assertTrue(e.getMessage().contains("[" + (out.numChunks() - 1) + "]"), e.getMessage());
        assertTrue(TestData.objects(aws, RunLayout.outputPrefix(job)).keySet().stream().noneMatch(k -> k.endsWith("_SUCCESS")
                || k.endsWith("summary.json")));

        p.process(job, out.numChunks() - 1, head);
        SummarizeService.Response done = s.run(job);
        assertEquals(3_000L, done.rows().rowsIn());
        assertEquals(0, TestData.get(aws, RunLayout.successKey(job)).length);
        String report = new String(TestData.get(aws, RunLayout.reportKey(job)), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(report.contains("<h1>Run sum-gap</h1>") && report.contains("holds"), report);
    }
}
