package dev.chunkflow.pipeline.process;

import dev.chunkflow.pipeline.summarize.RunIncomplete;
import dev.chunkflow.pipeline.summarize.SummarizeService;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.GetChunksOutput;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.e2e.TestData;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkOutput;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.JsonLines;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.SourceRecord;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.RecordRejected;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.Workloads;
import dev.chunkflow.workloads.events.EventsWorkload;
import dev.chunkflow.workloads.visits.VisitsWorkload;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The machinery with workloads other than visits, through the real services against the embedded S3
 * and DynamoDB Local: CSV with quoted fields spanning lines, a numeric key, records and chunks a workload
 * throws on, invalid UTF-8, JSON that is not JSON, a corrupt gzip object and an unknown workload name.
 */
@ExtendWith(AwsExtension.class)
class WorkloadMachineryTest {

    /** CSV {@code id,group,note} keyed by group (a number); writes one {@code notes} line per record. */
    static final class NotesWorkload implements Workload {
        final Consumer<SourceRecord> onRecord;
        final boolean failFinish;

        NotesWorkload(Consumer<SourceRecord> onRecord, boolean failFinish) {
            this.onRecord = onRecord;
            this.failFinish = failFinish;
        }

        @Override
        public String name() {
            return "notes";
        }

        @Override
        public RecordFormat format() {
            return new RecordFormat.Csv(List.of("id", "group", "note"));
        }

        @Override
        public GroupingKey key() {
            return GroupingKey.of(KeyPart.number("group"));
        }

        @Override
        public List<String> parts() {
            return List.of("notes");
        }

        @Override
        public ChunkProcessor newChunkProcessor(ChunkContext context) {
            List<String[]> kept = new ArrayList<>();
            return new ChunkProcessor() {
                @Override
                public void accept(SourceRecord r) {
                    if (r.fieldCount() != 3) {
                        throw new RecordRejected("field_count", "expected 3 fields");
                    }
                    onRecord.accept(r);
                    kept.add(new String[] {r.field(0), r.field(1), r.field(2), Long.toString(r.line())});
                }

                @Override
                public ChunkOutput finish() {
                    if (failFinish) {
                        throw new IllegalStateException("secret value 123-45-6789 must not leak");
                    }
                    Map<String, ChunkOutput.PartWriter> parts = new LinkedHashMap<>();
                    parts.put("notes", out -> {
                        try (var g = JsonLines.generator(out)) {
                            for (String[] k : kept) {
                                g.writeStartObject();
                                g.writeStringField("id", k[0]);
                                g.writeStringField("group", k[1]);
                                g.writeStringField("note", k[2]);
                                g.writeNumberField("line", Long.parseLong(k[3]));
                                g.writeEndObject();
                                JsonLines.endLine(g);
                            }
                        }
                    });
                    return new ChunkOutput(kept.size(), 0, parts, Map.of("notes", (long) kept.size()));
                }
            };
        }
    }

    private static GetChunksService planner(EmbeddedAws aws, Workloads workloads) {
        GetChunksService.Settings s = new GetChunksService.Settings(50_000, 1000, 64L << 20, 256,
                Path.of(System.getProperty("java.io.tmpdir")), 4);
        return new GetChunksService(new S3Io(aws.s3()), aws.bucket(), s, workloads, "visits");
    }

    private static ProcessChunkService processor(EmbeddedAws aws, Workloads workloads) {
        return new ProcessChunkService(new S3Io(aws.s3()), aws.bucket(), () -> new byte[32],
                JobProgress.of(() -> JobStore.fromEnv(aws.clients())), workloads);
    }

    private static SummarizeService summarizer(EmbeddedAws aws, Workloads workloads) {
        return new SummarizeService(new S3Io(aws.s3()), aws.bucket(), JobProgress.of(() -> JobStore.fromEnv(aws.clients())),
                workloads);
    }

    private static List<JsonNode> lines(EmbeddedAws aws, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        TestData.objects(aws, prefix).values().forEach(b -> TestData.gunzip(b).lines()
                .forEach(l -> out.add(Json.readTree(l.getBytes(StandardCharsets.UTF_8)))));
        return out;
    }

    private static void run(EmbeddedAws aws, Workloads w, String job, String prefix, String workload, long target) {
        JobStore.fromEnv(aws.clients()).createIfAbsent(job, Map.of("source", Map.of("prefix", prefix)));
        GetChunksOutput plan = planner(aws, w).run(new GetChunksService.Request(job, null, prefix, target, workload));
        ProcessChunkService p = processor(aws, w);
        Manifest head = p.manifestHead(job);
        for (int c = 0; c < plan.numChunks(); c++) {
            p.process(job, c, head);
        }
        summarizer(aws, w).run(job);
    }

    @Test
    void csvQuotedFieldsSpanLinesAndNumericKeysGroupAcrossObjects(EmbeddedAws aws) {
        Workloads w = Workloads.of(new NotesWorkload(r -> { }, false));
        TestData.put(aws, "input/notes/a.csv", "id,group,note\n"
                + "1,10,\"first line\nsecond, line\"\n"
                + "2,9,plain\n"
                + "3,10,\"say \"\"hi\"\"\"\n"
                + "4,oops\n");
        TestData.put(aws, "input/notes/b.csv", "\uFEFFID, Group ,NOTE\n5,9.0,b\n6,009,c\n");
        run(aws, w, "notes-1", "input/notes/", "notes", 2);

        List<JsonNode> notes = lines(aws, RunLayout.partPrefix("notes-1", "notes"));
        assertEquals(5, notes.size(), notes.toString());
        JsonNode first = notes.stream().filter(n -> n.get("id").asText().equals("1")).findFirst().orElseThrow();
        assertEquals("first line\nsecond, line", first.get("note").asText());
        assertEquals(2, first.get("line").asInt());
        JsonNode third = notes.stream().filter(n -> n.get("id").asText().equals("3")).findFirst().orElseThrow();
        assertEquals("say \"hi\"", third.get("note").asText());
        assertEquals(5, third.get("line").asInt(), "the line a record starts on, after a record of two lines");

        List<JsonNode> rejects = lines(aws, RunLayout.partPrefix("notes-1", "rejects"));
        assertEquals(1, rejects.size());
        assertEquals("field_count", rejects.get(0).get("reason").asText());
        assertEquals("input/notes/a.csv", rejects.get(0).get("source").asText());
        assertEquals(6, rejects.get(0).get("line").asInt());

        JsonNode summary = Json.readTree(TestData.get(aws, RunLayout.summaryKey("notes-1")));
        assertEquals("notes", summary.get("workload").asText());
        assertEquals(6, summary.get("rows_in").asLong());
        assertEquals(5, summary.get("notes").asLong(), "the workload's counter, summed over chunks");
        assertEquals(RunLayout.partPrefix("notes-1", "notes"), summary.get("outputs").get("notes").asText());
        // "9", "9.0" and "009" are one number but three keys: each key in one chunk, typed order 9 < 10 < oops.
        assertEquals(5, summary.get("keys").asLong());
    }

    @Test
    void aRecordTheWorkloadThrowsOnIsRejectedAndTheRunGoesOn(EmbeddedAws aws) {
        Workloads w = Workloads.of(new NotesWorkload(r -> {
            if (r.field(2).equals("boom")) {
                throw new NumberFormatException("For input string: 123-45-6789");
            }
        }, false));
        TestData.put(aws, "input/notes-throw/a.csv", "id,group,note\n1,1,ok\n2,1,boom\n3,2,ok\n");
        run(aws, w, "notes-throw", "input/notes-throw/", "notes", 10);
        List<JsonNode> rejects = lines(aws, RunLayout.partPrefix("notes-throw", "rejects"));
        assertEquals(1, rejects.size());
        assertEquals(ProcessChunkService.WORKLOAD_ERROR, rejects.get(0).get("reason").asText());
        assertEquals(3, rejects.get(0).get("line").asInt());
        assertFalse(rejects.toString().contains("123-45-6789"), "an exception message never reaches an output");
        assertEquals(0, TestData.get(aws, RunLayout.successKey("notes-throw")).length);
        assertEquals(2, lines(aws, RunLayout.partPrefix("notes-throw", "notes")).size());
    }

    @Test
    void aChunkTheWorkloadFailsOnIsWorkloadFailedAndPublishesNothing(EmbeddedAws aws) {
        Workloads w = Workloads.of(new NotesWorkload(r -> { }, true));
        TestData.put(aws, "input/notes-fail/a.csv", "id,group,note\n1,1,ok\n");
        JobStore.fromEnv(aws.clients()).createIfAbsent("notes-fail", Map.of("source", Map.of("prefix", "input/notes-fail/")));
        planner(aws, w).run(new GetChunksService.Request("notes-fail", null, "input/notes-fail/", 10, "notes"));
        ProcessChunkService p = processor(aws, w);
        WorkloadFailed e = assertThrows(WorkloadFailed.class, () -> p.process("notes-fail", 0, p.manifestHead("notes-fail")));
        assertTrue(e.getMessage().contains("notes-fail chunk 0") && e.getMessage().contains("IllegalStateException"),
                e.getMessage());
        assertFalse(e.getMessage().contains("123-45-6789"), e.getMessage());
        assertTrue(TestData.objects(aws, RunLayout.outputPrefix("notes-fail")).isEmpty());
        assertTrue(TestData.objects(aws, RunLayout.resultsPrefix("notes-fail")).isEmpty());
        assertThrows(RunIncomplete.class, () -> summarizer(aws, w).run("notes-fail"));
        assertTrue(TestData.objects(aws, RunLayout.outputPrefix("notes-fail")).isEmpty(), "no _SUCCESS");
    }

    @Test
    void eventsRejectInvalidUtf8AndBadJsonAndSplitSessionsAtThirtyMinutes(EmbeddedAws aws) throws Exception {
        Workloads w = Workloads.of(new EventsWorkload(), new VisitsWorkload());
        ByteArrayOutputStream src = new ByteArrayOutputStream();
        src.writeBytes(("{\"event_id\":\"e1\",\"user_id\":\"u1\",\"timestamp\":\"2024-03-01T10:00:00Z\",\"type\":\"view\"}\n"
                + "{\"event_id\":\"e2\",\"user_id\":\"u1\",\"timestamp\":\"2024-03-01T10:30:00Z\",\"type\":\"click\"}\n"
                + "{\"event_id\":\"e3\",\"user_id\":\"u1\",\"timestamp\":\"2024-03-01T11:00:01Z\",\"type\":\"view\"}\n"
                + "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"timestamp\":\"2024-03-01T10:00:00Z\",\"type\":\"view\"}\n"
                + "\n"
                + "{\"event_id\":\"e4\",\"user_id\":").getBytes(StandardCharsets.UTF_8));
        src.write(new byte[] {'"', 'u', (byte) 0xC3, '"', '}', '\n'});
        src.writeBytes(("not json at all\n"
                + "{\"event_id\":\"e5\",\"timestamp\":\"2024-03-01T10:00:00Z\",\"type\":\"view\"}\n"
                + "{\"event_id\":\"e6\",\"user_id\":\"u2\",\"timestamp\":\"2024-03-01T23:50:00Z\",\"type\":\"buy\"}\n"
                + "{\"event_id\":\"e7\",\"user_id\":\"u2\",\"timestamp\":\"2024-03-02T00:10:00Z\",\"type\":\"buy\"}\n")
                .getBytes(StandardCharsets.UTF_8));
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream g = new GZIPOutputStream(gz)) {
            g.write(src.toByteArray());
        }
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key("input/ev/a.jsonl.gz"), RequestBody.fromBytes(gz.toByteArray()));
        run(aws, w, "ev-1", "input/ev/", "events", 3);

        List<JsonNode> sessions = lines(aws, RunLayout.partPrefix("ev-1", "sessions"));
        List<String> u1 = sessions.stream().filter(s -> s.get("user_id").asText().equals("u1"))
                .map(s -> s.get("start").asText() + "/" + s.get("events").asInt()).sorted().toList();
        assertEquals(List.of("2024-03-01T10:00:00Z/2", "2024-03-01T11:00:01Z/1"), u1, "a gap of 30 min stays, 30 min 1 s splits");
        JsonNode u2 = sessions.stream().filter(s -> s.get("user_id").asText().equals("u2")).findFirst().orElseThrow();
        assertEquals(2, u2.get("events").asInt());
        assertEquals(1200, u2.get("duration_s").asInt());
        List<JsonNode> daily = lines(aws, RunLayout.partPrefix("ev-1", "daily"));
        assertTrue(daily.stream().anyMatch(d -> d.get("date").asText().equals("2024-03-02") && d.get("user_id").asText().equals("u2")
                && d.get("events").asInt() == 1 && d.get("sessions").asInt() == 0), daily.toString());

        Map<String, Long> reasons = new LinkedHashMap<>();
        Map<Long, String> byLine = new LinkedHashMap<>();
        for (JsonNode r : lines(aws, RunLayout.partPrefix("ev-1", "rejects"))) {
            reasons.merge(r.get("reason").asText(), 1L, Long::sum);
            byLine.put(r.get("line").asLong(), r.get("reason").asText());
            assertEquals("input/ev/a.jsonl.gz", r.get("source").asText());
        }
        assertEquals(Map.of(6L, "invalid_utf8", 7L, "bad_json", 8L, "missing_field"), byLine);
        JsonNode summary = Json.readTree(TestData.get(aws, RunLayout.summaryKey("ev-1")));
        assertEquals(9, summary.get("rows_in").asLong(), "a blank line is not a record");
        assertEquals(5, summary.get("rows_out").asLong());
        assertEquals(3, summary.get("rows_rejected").asLong());
        assertEquals(1, summary.get("duplicates_dropped").asLong());
        assertEquals(3, summary.get("sessions").asLong());
        assertEquals(2, summary.get("users").asLong());
    }

    @Test
    void aCorruptGzipObjectIsInvalidInputNamingIt(EmbeddedAws aws) {
        Workloads w = Workloads.of(new EventsWorkload());
        TestData.put(aws, "input/ev-corrupt/a.jsonl", "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"timestamp\":\"2024-03-01T10:00:00Z\",\"type\":\"v\"}\n");
        TestData.put(aws, "input/ev-corrupt/b.jsonl.gz", "this is not gzip");
        InvalidInput e = assertThrows(InvalidInput.class, () -> planner(aws, w)
                .run(new GetChunksService.Request("ev-corrupt", null, "input/ev-corrupt/", 10, "events")));
        assertEquals("source", e.field());
        assertTrue(e.getMessage().contains("s3://" + aws.bucket() + "/input/ev-corrupt/b.jsonl.gz") && e.getMessage().contains("gzip"),
                e.getMessage());
    }

    @Test
    void anUnknownWorkloadIsInvalidInputNamingTheKnownOnes(EmbeddedAws aws) {
        Workloads w = Workloads.of(new EventsWorkload(), new VisitsWorkload());
        InvalidInput e = assertThrows(InvalidInput.class, () -> planner(aws, w)
                .run(new GetChunksService.Request("wl-x", null, "input/", 10, "sales")));
        assertEquals("workload", e.field());
        assertTrue(e.getMessage().contains("'sales'") && e.getMessage().contains("events, visits"), e.getMessage());
        assertEquals(List.of("events", "visits"), List.copyOf(Workloads.installed().names()),
                "the built-in workloads are found through META-INF/services");
    }
}
