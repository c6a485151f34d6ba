package dev.chunkflow.local.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.lambda.LambdaRuntimeOptions;
import dev.chunkflow.pipeline.runs.RunLayout;

/**
 * Fan-out planning end to end under the local engine (real template, state machine, handlers, IAM): the
 * same data planned by one GetChunks invocation and by the fan-out branch (a threshold of 1 byte, small
 * partitions and splits), with a partition worker's process dying half way through its partition and
 * the state machine retrying it. Both paths must write
 * the same chunks (byte for byte) and the same outputs.
 */
class FanOutPlanningTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();
    private static final String JOB = "fanout";

    private static PipelineRun.Options options(long rows, String workload) {
        return new PipelineRun.Options(rows, 21, null, 150, null, 4, 10, 0, JOB, 0.001, false).withWorkload(workload);
    }

    private static RunReport run(Path stateDir, PipelineRun.Options o, Map<String, String> env) throws Exception {
        RunReport r = PipelineRun.execute(REPO, stateDir, o, new PrintStream(new ByteArrayOutputStream()), env);
        assertEquals("SUCCEEDED", r.status(), () -> r.error() + " " + r.cause());
        return r;
    }

    private static Path runs(Path stateDir) {
        return stateDir.resolve("s3/chunkflow-data").resolve(RunLayout.runPrefix(JOB));
    }

    @Test
    void visitsPlannedByTheFanOutBranchWithACrashedPartitionWorkerMatchTheOneInvocationPlanByteForByte(@TempDir Path dir)
            throws Exception {
        // ~80 bytes a row: 6,000 rows make 10 partitions of 48 KB.
        Map<String, String> partitions = Map.of("PLAN_PARTITION_BYTES", "48000");
        RunReport one = run(dir.resolve("one"), options(6_000, "visits"), partitions);
        Path crashed = dir.resolve("crashed-at");
        // Each function in its own JVM, so that the crash kills a worker's process and nothing else; two
        // workers at a time keep the number of JVMs (cold starts) small.
        RunReport fan = run(dir.resolve("fan"), new PipelineRun.Options(6_000, 21, null, 150, null, 2, 10, 0, JOB, 0.001, false)
                .withWorkload("visits").withLambda(
                LambdaRuntimeOptions.defaults().withIsolation(LambdaRuntimeOptions.Isolation.PROCESS).withProcessMemoryMb(16_384)),
                Map.of("PLAN_PARTITION_BYTES", "48000", "FAN_OUT_THRESHOLD_BYTES", "1",
                        "CHUNKFLOW_SDK_INTERCEPTORS", CrashMidPartition.class.getName(), CrashMidPartition.MARKER, crashed.toString()));

        assertTrue(Files.exists(crashed), "a partition worker crashed mid-partition (and its retry finished the partition)");
        assertTrue(Files.exists(runs(dir.resolve("fan")).resolve("fanout/plan.json")), "the fan-out branch planned");
        assertTrue(Files.notExists(runs(dir.resolve("one")).resolve("fanout")), "the one-invocation path planned");
        int partitionsUsed = sameChunks(dir.resolve("one"), dir.resolve("fan"));
        assertTrue(partitionsUsed > 1, "chunks came from " + partitionsUsed + " partitions");
        assertEquals(6_000, fan.rows_in());
        assertEquals(one.rows_in(), fan.rows_in());
        assertEquals(one.rows_out(), fan.rows_out());
        assertEquals(one.rows_rejected(), fan.rows_rejected());
        assertEquals(one.num_chunks(), fan.num_chunks());
        assertEquals(one.output_sha256(), fan.output_sha256());
    }

    /** JSON Lines objects cut into byte ranges: every reject names the object's own line, as one invocation sees it. */
    @Test
    void jsonLinesSplitIntoByteRangesKeepExactLinesAndOutputs(@TempDir Path dir) throws Exception {
        Map<String, String> partitions = Map.of("PLAN_PARTITION_BYTES", "100000");
        RunReport one = run(dir.resolve("one"), options(4_000, "events"), partitions);
        RunReport fan = run(dir.resolve("fan"), options(4_000, "events"), Map.of("PLAN_PARTITION_BYTES", "100000",
                "FAN_OUT_THRESHOLD_BYTES", "1", "FAN_OUT_SPLIT_BYTES", "50000"));

        JsonNode splits = Json.readTree(Files.readAllBytes(runs(dir.resolve("fan")).resolve("fanout/splits.json")));
        assertTrue(splits.size() > 3, splits.size() + " splits");
        assertTrue(splits.get(1).path("start").asLong() > 0, "an object was cut into byte ranges");
        sameChunks(dir.resolve("one"), dir.resolve("fan"));
        assertEquals(one.rows_in(), fan.rows_in());
        assertTrue(one.rows_rejected() > 0, "rejects carry lines to compare");
        assertEquals(one.rows_rejected(), fan.rows_rejected());
        assertEquals(one.output_sha256(), fan.output_sha256());
    }

    /**
     * Every chunk's key set and data are the same bytes in both runs, and the manifests agree but for the
     * fan-out's map from chunk id to partition; returns how many partitions hold chunks.
     */
    private static int sameChunks(Path oneDir, Path fanDir) throws Exception {
        Path one = runs(oneDir).resolve("chunks");
        Path fan = runs(fanDir).resolve("chunks");
        ObjectNode oneManifest = (ObjectNode) Json.readTree(Files.readAllBytes(one.resolve("manifest.json")));
        ObjectNode fanManifest = (ObjectNode) Json.readTree(Files.readAllBytes(fan.resolve("manifest.json")));
        JsonNode firsts = fanManifest.remove("partition_first_chunk");
        assertNotNull(firsts, "the fan-out manifest maps chunks to partitions");
        assertEquals(oneManifest, fanManifest);
        assertArrayEquals(Files.readAllBytes(one.resolve("ids.json")), Files.readAllBytes(fan.resolve("ids.json")));
        int n = oneManifest.path("num_chunks").asInt();
        int partitionsWithChunks = 0;
        for (int p = 0; p < firsts.size(); p++) {
            int first = firsts.get(p).asInt();
            int end = p + 1 < firsts.size() ? firsts.get(p + 1).asInt() : n;
            partitionsWithChunks += end > first ? 1 : 0;
            for (int id = first; id < end; id++) {
                String local = RunLayout.pad(p) + "/" + RunLayout.pad(id - first);
                assertArrayEquals(Files.readAllBytes(one.resolve(RunLayout.pad(id) + ".data")),
                        Files.readAllBytes(fan.resolve(local + ".data")), "chunk " + id + " data");
                assertArrayEquals(Files.readAllBytes(one.resolve(RunLayout.pad(id) + ".keys.json.gz")),
                        Files.readAllBytes(fan.resolve(local + ".keys.json.gz")), "chunk " + id + " key set");
            }
        }
        try (Stream<Path> files = Files.list(one)) {
            assertEquals(n, files.filter(f -> f.getFileName().toString().endsWith(".data")).count());
        }
        return partitionsWithChunks;
    }
}
