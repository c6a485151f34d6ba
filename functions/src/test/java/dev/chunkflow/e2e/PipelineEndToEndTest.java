package dev.chunkflow.e2e;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.GetChunksHandler;
import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.pipeline.summarize.SummarizeHandler;
import dev.chunkflow.pipeline.process.TokenSecret;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.CsvLine;
import dev.chunkflow.workload.RecordRejected;
import dev.chunkflow.workloads.visits.Pseudonymizer;
import dev.chunkflow.workloads.visits.VisitCsv;
import dev.chunkflow.workloads.visits.VisitTransform;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

/**
 * GetChunks -> ProcessChunk for every id -> Summarize, through the handlers (bytes in, bytes out), on
 * generated data in the embedded S3, with the job record in DynamoDB Local. No state machine engine:
 * this test plays its part, in both Map input forms.
 */
@ExtendWith(AwsExtension.class)
class PipelineEndToEndTest {
    private static final String JOB = "e2e-pipeline";
    private static final String PREFIX = "input/e2e-pipeline/";
    private static final int MAX_OUTPUT_BYTES = 8 * 1024;
    private static final Pattern SSN = Pattern.compile("\\d{3}-\\d{2}-\\d{4}");

    private final List<Integer> outputSizes = new ArrayList<>();

    private JsonNode call(com.amazonaws.services.lambda.runtime.RequestStreamHandler h, String input) {
        byte[] out = TestData.invoke(h, input);
        outputSizes.add(out.length);
        assertTrue(out.length < MAX_OUTPUT_BYTES, "handler output of " + out.length + " bytes");
        assertFalse(SSN.matcher(new String(out, StandardCharsets.UTF_8)).find(), "SSN in a handler output");
        return Json.readTree(out);
    }

    private JsonNode runPipeline(EmbeddedAws aws) {
        JsonNode plan = call(new GetChunksHandler(aws.clients()),
                "{\"job_id\":\"" + JOB + "\",\"source\":{\"prefix\":\"" + PREFIX + "\"},\"target_rows_per_chunk\":2500}");
        assertEquals("INLINE", plan.get("map_mode").asText());
        int n = plan.get("num_chunks").asInt();
        ProcessChunkHandler process = new ProcessChunkHandler(aws.clients());
        // First half as the inline Map sends it, the rest as Distributed Map batches of 3.
        int half = n / 2;
        for (JsonNode id : plan.get("chunk_ids")) {
            if (id.asInt() < half) {
                JsonNode r = call(process, "{\"job_id\":\"" + JOB + "\",\"chunk_id\":" + id.asInt() + "}");
                assertEquals(id.asInt(), r.get("chunk_id").asInt());
            }
        }
        for (int i = half; i < n; i += 3) {
            List<Integer> batch = new ArrayList<>();
            for (int j = i; j < Math.min(n, i + 3); j++) {
                batch.add(j);
            }
            JsonNode r = call(process, "{\"Items\":" + batch + ",\"BatchInput\":{\"job_id\":\"" + JOB + "\"}}");
            assertEquals(batch.size(), r.get("chunk_ids").size());
        }
        return call(new SummarizeHandler(aws.clients()), "{\"job_id\":\"" + JOB + "\"}");
    }

    @Test
    void runsConservesRowsLeaksNoSsnAndRerunsByteForByte(EmbeddedAws aws) {
        Map<String, byte[]> sources = TestData.upload(aws, PREFIX,
                SampleDataGenerator.Config.of(30_000, 21).withFiles(3).withGzip(true));
        JobStore store = JobStore.fromEnv(aws.clients());
        store.createIfAbsent(JOB, Map.of("source", Map.of("prefix", PREFIX)));

        // The reference: the same transform over the whole data set in one process.
        VisitTransform whole = new VisitTransform(new Pseudonymizer(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8)));
        Set<String> sourceSsns = new HashSet<>();
        long sourceRows = 0;
        long sourceRejects = 0;
        int index = 0;
        for (Map.Entry<String, byte[]> e : sources.entrySet()) {
            List<String> lines = TestData.text(e.getKey(), e.getValue()).lines().toList();
            for (int ln = 1; ln < lines.size(); ln++) {
                String[] f = CsvLine.fields(lines.get(ln));
                int c = f.length;
                if (c > VisitCsv.SSN && f[VisitCsv.SSN].length() >= 9) {
                    sourceSsns.add(f[VisitCsv.SSN]);
                }
                try {
                    whole.accept(index, ln + 1, f, c);
                } catch (RecordRejected rejected) {
                    sourceRejects++;
                }
                sourceRows++;
            }
            index++;
        }
        VisitTransform.Result expected = whole.finish();

        JsonNode summary = runPipeline(aws);
        long rowsIn = summary.get("rows_in").asLong();
        long rowsOut = summary.get("rows_out").asLong();
        long rejected = summary.get("rows_rejected").asLong();
        long duplicates = summary.get("duplicates_dropped").asLong();
        assertEquals(sourceRows, rowsIn);
        assertEquals(rowsIn, rowsOut + rejected + duplicates, "rows_in = rows_out + rows_rejected + duplicates_dropped");
        assertEquals(expected.rowsOut(), rowsOut);
        assertEquals(expected.rowsRejected(), rejected);
        assertEquals(sourceRejects, rejected);
        assertEquals(expected.duplicatesDropped(), duplicates);
        assertTrue(rejected > 0 && duplicates > 0, "the data exercises rejects and duplicates");
        int numChunks = summary.get("num_chunks").asInt();
        assertTrue(numChunks >= 12, "chunks " + numChunks);

        Map<String, byte[]> outputs = TestData.objects(aws, RunLayout.outputPrefix(JOB));
        assertEquals(3 * numChunks + 3, outputs.size(), outputs.keySet().toString());
        assertTrue(outputs.containsKey(RunLayout.successKey(JOB)));
        // Visits: the chunked run equals the single-process transform, line for line.
        List<String> visitLines = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : outputs.entrySet()) {
            if (e.getKey().contains("/visits/")) {
                visitLines.addAll(TestData.gunzip(e.getValue()).lines().toList());
            }
        }
        java.io.ByteArrayOutputStream ref = new java.io.ByteArrayOutputStream();
        try {
            expected.writeVisits(ref);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        List<String> refLines = new ArrayList<>(ref.toString(StandardCharsets.UTF_8).lines().toList());
        java.util.Collections.sort(refLines);
        java.util.Collections.sort(visitLines);
        assertEquals(refLines, visitLines);

        // No SSN anywhere in what the run wrote (outputs, results, report), in any form found in the source.
        Map<String, byte[]> written = new java.util.LinkedHashMap<>(outputs);
        written.putAll(TestData.objects(aws, RunLayout.resultsPrefix(JOB)));
        for (Map.Entry<String, byte[]> e : written.entrySet()) {
            String text = e.getKey().endsWith(".gz") ? TestData.gunzip(e.getValue()) : new String(e.getValue(), StandardCharsets.UTF_8);
            assertFalse(SSN.matcher(text).find(), "SSN pattern in " + e.getKey());
            for (String ssn : sourceSsns) {
                assertFalse(text.contains(ssn), "a source SSN in " + e.getKey());
            }
        }

        // Counters (atomic ADDs from every chunk) and steps in the job record.
        Map<String, Object> job = store.read(JOB).orElseThrow();
        assertEquals((long) numChunks, ((Number) job.get("chunks_done")).longValue());
        assertEquals(rowsIn, ((Number) job.get("rows_in")).longValue());
        assertEquals(rowsOut, ((Number) job.get("rows_out")).longValue());
        assertEquals(rejected, ((Number) job.get("rows_rejected")).longValue());
        assertEquals(duplicates, ((Number) job.get("duplicates_dropped")).longValue());
        List<?> steps = (List<?>) job.get("execution_steps");
        assertEquals(List.of("GetChunks", "ProcessChunks", "Summarize"),
                steps.stream().map(s -> ((Map<?, ?>) s).get("name")).toList());

        // A rerun of the whole pipeline (every task retried) writes the very same bytes and counts nothing twice.
        runPipeline(aws);
        Map<String, byte[]> again = TestData.objects(aws, RunLayout.outputPrefix(JOB));
        assertEquals(outputs.keySet(), again.keySet());
        outputs.forEach((k, v) -> assertArrayEquals(v, again.get(k), k));
        Map<String, Object> after = store.read(JOB).orElseThrow();
        assertEquals(rowsIn, ((Number) after.get("rows_in")).longValue(), "retried chunks are not counted twice");
        assertEquals((long) numChunks, ((Number) after.get("chunks_done")).longValue());

        assertTrue(outputSizes.stream().allMatch(s -> s < MAX_OUTPUT_BYTES), outputSizes.toString());
    }
}
