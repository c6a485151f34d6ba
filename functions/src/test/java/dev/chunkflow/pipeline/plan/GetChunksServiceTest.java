package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.e2e.TestData;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

@ExtendWith(AwsExtension.class)
class GetChunksServiceTest {

    private static GetChunksService service(EmbeddedAws aws, long partitionBytes) {
        GetChunksService.Settings s = new GetChunksService.Settings(50_000, 1000, partitionBytes, 256,
                Path.of(System.getProperty("java.io.tmpdir")), 4);
        return new GetChunksService(new S3Io(aws.s3()), aws.bucket(), s);
    }

    /** Every data row of every chunk, as "key|source,line,row" lines, checking each key lives in one chunk only. */
    private static Map<String, Integer> chunkRows(EmbeddedAws aws, String jobId, int numChunks, Set<String> allKeys) {
        Map<String, Integer> rows = new HashMap<>();
        for (int c = 0; c < numChunks; c++) {
            JsonNode keys = Json.readTree(TestData.gunzip(TestData.get(aws, RunLayout.keysKey(jobId, c)))
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8));
            long promised = 0;
            for (JsonNode k : keys) {
                String key = k.get("key").get(0).asText() + "|" + k.get("key").get(1).asText();
                assertTrue(allKeys.add(key), "key in two chunks");
                promised += k.get("rows").asLong();
            }
            List<String> lines = new String(TestData.get(aws, RunLayout.dataKey(jobId, c)), java.nio.charset.StandardCharsets.UTF_8).lines().toList();
            assertEquals("source_index,line,flags," + dev.chunkflow.workloads.visits.VisitCsv.HEADER, lines.get(0));
            assertEquals(promised, lines.size() - 1, "chunk " + c + " rows vs key set");
            for (String l : lines.subList(1, lines.size())) {
                rows.merge(l, 1, Integer::sum);
            }
        }
        return rows;
    }

    @Test
    void everyRowLandsInExactlyOneChunkWithItsKeyAndTheManifestAddsUp(EmbeddedAws aws) {
        String prefix = "input/gc-basic/";
        Map<String, byte[]> files = TestData.upload(aws, prefix, SampleDataGenerator.Config.of(12_000, 5).withFiles(3).withGzip(true));
        GetChunksOutput out = service(aws, 64L << 20).run(new GetChunksService.Request("gc-basic", null, prefix, 1_000));

        long sourceRows = 0;
        List<String> expected = new ArrayList<>();
        List<String> keys = new ArrayList<>(files.keySet());
        for (int i = 0; i < keys.size(); i++) {
            List<String> lines = TestData.text(keys.get(i), files.get(keys.get(i))).lines().toList();
            for (int ln = 1; ln < lines.size(); ln++) {
                expected.add(i + "," + (ln + 1) + ",0," + lines.get(ln));
            }
            sourceRows += lines.size() - 1;
        }
        assertEquals(12_000, sourceRows);
        assertEquals(sourceRows, out.totalRows());
        assertEquals("INLINE", out.mapMode());
        assertEquals(out.numChunks(), out.chunkIds().length);
        assertTrue(out.numChunks() >= 12 && out.numChunks() <= 13, "chunks " + out.numChunks());

        Map<String, Integer> rows = chunkRows(aws, "gc-basic", out.numChunks(), new HashSet<>());
        Map<String, Integer> want = new HashMap<>();
        expected.forEach(l -> want.merge(l, 1, Integer::sum));
        assertEquals(want, rows);

        Manifest m = Manifest.read(new S3Io(aws.s3()), aws.bucket(), RunLayout.manifestKey("gc-basic"));
        assertEquals(out.numChunks(), m.numChunks());
        assertEquals(3, m.sources().size());
        assertTrue(m.sources().stream().allMatch(s -> s.etag() != null && s.rows() > 0));
        assertEquals(sourceRows, m.chunks().stream().mapToLong(Manifest.Chunk::rows).sum());
        long max = m.chunks().stream().mapToLong(Manifest.Chunk::rows).max().orElseThrow();
        long min = m.chunks().stream().mapToLong(Manifest.Chunk::rows).min().orElseThrow();
        assertTrue(max - min < 200, "balanced: " + min + ".." + max);
        Manifest head = Manifest.readHead(new S3Io(aws.s3()), aws.bucket(), RunLayout.manifestKey("gc-basic"));
        assertNull(head.chunks());
        assertEquals(m.sources(), head.sources());
        JsonNode ids = Json.readTree(TestData.get(aws, RunLayout.idsKey("gc-basic")));
        assertEquals(out.numChunks(), ids.size());
        assertEquals(out.numChunks() - 1, ids.get(out.numChunks() - 1).asInt());
    }

    @Test
    void manyScratchPartitionsGiveTheSameRowsAndARerunOnDiskScratchTheSameBytes(EmbeddedAws aws) {
        String prefix = "input/gc-parts/";
        TestData.upload(aws, prefix, SampleDataGenerator.Config.of(6_000, 8).withFiles(2));
        GetChunksOutput one = service(aws, 64L << 20).run(new GetChunksService.Request("gc-one", null, prefix, 700));
        GetChunksOutput many = service(aws, 20_000).run(new GetChunksService.Request("gc-many", null, prefix, 700));
        Manifest m = Manifest.read(new S3Io(aws.s3()), aws.bucket(), RunLayout.manifestKey("gc-many"));
        assertTrue(m.partitions() > 10, "partitions " + m.partitions());
        assertEquals(one.totalRows(), many.totalRows());
        assertEquals(chunkRows(aws, "gc-one", one.numChunks(), new HashSet<>()),
                chunkRows(aws, "gc-many", many.numChunks(), new HashSet<>()));

        // The first runs kept their scratch partitions in the heap (a small source); this one spills to local disk.
        Map<String, byte[]> before = TestData.objects(aws, RunLayout.chunksPrefix("gc-many"));
        GetChunksService.Settings onDisk = new GetChunksService.Settings(50_000, 1000, 20_000, 256,
                Path.of(System.getProperty("java.io.tmpdir")), 4).withMemorySpillBytes(0);
        new GetChunksService(new S3Io(aws.s3()), aws.bucket(), onDisk)
                .run(new GetChunksService.Request("gc-many", null, prefix, 700));
        Map<String, byte[]> after = TestData.objects(aws, RunLayout.chunksPrefix("gc-many"));
        assertEquals(before.keySet(), after.keySet());
        before.forEach((k, v) -> assertArrayEquals(v, after.get(k), k));
    }

    @Test
    void distributedModeAboveTheInlineCapWithOneChunkPerKey(EmbeddedAws aws) {
        String prefix = "input/gc-distributed/";
        StringBuilder csv = new StringBuilder(dev.chunkflow.workloads.visits.VisitCsv.HEADER).append('\n');
        for (int i = 0; i < 1_200; i++) {
            csv.append(String.format("V%06d,2024-01-%02d,%03d-11-%04d,P1,99213,100,2024-02-01T00:00:00Z%n",
                    i, 1 + i % 28, 100 + i % 7, i));
        }
        csv.append("bad-row-without-fields\n\n");
        TestData.put(aws, prefix + "a.csv", csv.toString());
        GetChunksOutput out = service(aws, 64L << 20).run(new GetChunksService.Request("gc-dist", null, prefix, 1));
        assertEquals(1_201, out.totalRows());
        assertEquals(1_201, out.numChunks());
        assertEquals("DISTRIBUTED", out.mapMode());
        assertNull(out.chunkIds());
        assertTrue(Json.bytes(out.toMap()).length < 512);
        assertEquals(1_201, Json.readTree(TestData.get(aws, RunLayout.idsKey("gc-dist"))).size());
    }

    @Test
    void badSourcesAreInvalidInputNamingTheField(EmbeddedAws aws) {
        GetChunksService s = service(aws, 64L << 20);
        InvalidInput empty = assertThrows(InvalidInput.class, () -> s.run(new GetChunksService.Request("gc-x", null, "input/nothing-here/", 0)));
        assertEquals("source.prefix", empty.field());
        TestData.put(aws, "input/gc-badheader/a.csv", "id,date,ssn\n1,2,3\n");
        InvalidInput header = assertThrows(InvalidInput.class, () -> s.run(new GetChunksService.Request("gc-x", null, "input/gc-badheader/", 0)));
        assertEquals("source", header.field());
        InvalidInput bucket = assertThrows(InvalidInput.class, () -> s.run(new GetChunksService.Request("gc-x", "no-such-bucket-here", "input/", 0)));
        assertEquals("source.bucket", bucket.field());
    }
}
