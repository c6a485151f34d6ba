package dev.chunkflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.GetChunksHandler;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.pipeline.summarize.SummarizeHandler;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.workload.Workloads;
import dev.chunkflow.workloads.visits.VisitCsv;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * The bad-input corpus for the data path (issue 12 item 6): each case is a set of source objects for the
 * visits workload and its expected outcome, either the run's counts with every reject's object, line and
 * reason, or a named {@link InvalidInput} naming the object. Each runs through the real handlers against
 * the embedded S3 and DynamoDB Local: GetChunks, ProcessChunk per chunk, Summarize. On every case that
 * runs, every input row is counted in exactly one of rows_out, rows_rejected, duplicates_dropped, and the
 * job record's counters agree with the summary.
 */
@ExtendWith(AwsExtension.class)
class BadInputCorpusTest {
    private static final String H = VisitCsv.HEADER;
    private static final java.util.regex.Pattern SSN = java.util.regex.Pattern.compile("\\d{3}-\\d{2}-\\d{4}");

    /** Counts, rejects by reason, and each reject as {@code object:line:reason} (object = name under the case prefix). */
    record Counts(long in, long out, long rejected, long duplicates, List<String> rejects) {
    }

    /** GetChunks (or a later task) raises {@link InvalidInput}; the message holds every one of {@code parts}. */
    record Fails(List<String> parts) {
    }

    record Case(String name, Map<String, byte[]> files, Object expected, String workload) {
        Case(String name, Map<String, byte[]> files, Object expected) {
            this(name, files, expected, "visits");
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private static String row(String id, String date, String ssn, String provider, String procedure, String amount, String updated) {
        return String.join(",", id, date, ssn, provider, procedure, amount, updated);
    }

    private static String ok(String id) {
        return row(id, "2025-03-01", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z");
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] csv(String... lines) {
        return utf8(String.join("\n", lines) + "\n");
    }

    private static byte[] gzip(byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(b);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static Case one(String name, byte[] body, Object expected) {
        return new Case(name, Map.of("a.csv", body), expected);
    }

    private static Counts counts(long in, long out, long rejected, long duplicates, String... rejects) {
        return new Counts(in, out, rejected, duplicates, List.of(rejects));
    }

    private static Fails fails(String... parts) {
        return new Fails(List.of(parts));
    }

    /** A valid row, then {@code badRow} on line 3: one reject of {@code reason}. */
    private static Case value(String name, String badRow, String reason) {
        return one(name, csv(H, ok("v1"), badRow), counts(2, 1, 1, 0, "a.csv:3:" + reason));
    }

    static Stream<Case> cases() {
        List<Case> c = new ArrayList<>();
        // the control
        c.add(one("valid", csv(H, ok("v1"), ok("v2"), ok("v3")), counts(3, 3, 0, 0)));
        // headers
        c.add(one("wrong-header", csv("id,date,ssn,provider,procedure,amount,updated", ok("v1")), fails("a.csv", "line 1: header must be")));
        c.add(one("duplicated-header-column", csv(H.replace("visit_date", "visit_id"), ok("v1")), fails("a.csv", "line 1: header must be")));
        c.add(one("header-missing-column", csv(H.replace(",updated_at", ""), ok("v1")), fails("a.csv", "line 1: header must be")));
        c.add(one("header-extra-column", csv(H + ",note", ok("v1") + ",x"), fails("a.csv", "line 1: header must be")));
        c.add(one("wrong-header-after-blank-lines", csv("", "", "id,date", ok("v1")), fails("a.csv", "line 3: header must be")));
        c.add(one("no-header", csv(ok("v1"), ok("v2")), fails("a.csv", "line 1: header must be")));
        // the header again inside the data is a row like any other: its visit_date is not a date
        c.add(one("header-repeated-in-data", csv(H, ok("v1"), H, ok("v2")), counts(3, 2, 1, 0, "a.csv:3:bad_date")));
        c.add(one("header-case-and-spaces", csv(" VISIT_ID ,Visit_Date,SSN,provider_id,procedure_code,amount_cents,updated_at", ok("v1")),
                counts(1, 1, 0, 0)));
        // columns
        c.add(one("missing-columns", csv(H, ok("v1"), "v2,2025-03-01,123-45-6789,P1"), counts(2, 1, 1, 0, "a.csv:3:field_count")));
        c.add(one("extra-columns", csv(H, ok("v1") + ",extra", ok("v2")), counts(2, 1, 1, 0, "a.csv:2:field_count")));
        c.add(one("single-space-line", csv(H, " ", ok("v1")), counts(2, 1, 1, 0, "a.csv:2:field_count")));
        c.add(one("trailing-comma", csv(H, ok("v1") + ","), counts(1, 0, 1, 0, "a.csv:2:field_count")));
        // empty and near-empty objects
        c.add(one("empty-object", new byte[0], counts(0, 0, 0, 0)));
        c.add(one("header-only", csv(H), counts(0, 0, 0, 0)));
        c.add(one("header-only-no-newline", utf8(H), counts(0, 0, 0, 0)));
        c.add(one("blank-lines-skipped", csv(H, "", ok("v1"), "", "", ok("v2"), ""), counts(2, 2, 0, 0)));
        c.add(one("no-final-newline", utf8(H + "\n" + ok("v1") + "\n" + ok("v2")), counts(2, 2, 0, 0)));
        // encodings and line ends
        c.add(one("utf8-bom", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, csv(H, ok("v1"))), counts(1, 1, 0, 0)));
        c.add(one("crlf", utf8(H + "\r\n" + ok("v1") + "\r\n" + ok("v2") + "\r\n"), counts(2, 2, 0, 0)));
        c.add(one("bare-cr", utf8(H + "\r" + ok("v1") + "\r" + ok("v2") + "\r"), counts(2, 2, 0, 0)));
        c.add(one("invalid-utf8", concat(csv(H, ok("v1")), utf8("v2,2025-03-01,123-45-6789,P"), new byte[] {(byte) 0xC3, (byte) 0x28},
                utf8(",99213,1500,2025-03-02T10:00:00Z\n"), csv(ok("v3"))), counts(3, 2, 1, 0, "a.csv:3:invalid_utf8")));
        c.add(one("overlong-utf8", concat(csv(H), utf8("v1,2025-03-01,123-45-6789,"), new byte[] {(byte) 0xC0, (byte) 0xAF},
                utf8(",99213,1500,2025-03-02T10:00:00Z\n")), counts(1, 0, 1, 0, "a.csv:2:invalid_utf8")));
        c.add(one("utf8-multibyte-valid", csv(H, row("v1", "2025-03-01", "123-45-6789", "Dr. Müller 医院", "99213", "1500",
                "2025-03-02T10:00:00Z")), counts(1, 1, 0, 0)));
        // quoting
        c.add(one("quoted-comma", csv(H, row("v1", "2025-03-01", "123-45-6789", "\"Smith, Jones & Co\"", "99213", "1500",
                "2025-03-02T10:00:00Z")), counts(1, 1, 0, 0)));
        c.add(one("quoted-quotes", csv(H, row("v1", "2025-03-01", "123-45-6789", "\"the \"\"best\"\" clinic\"", "99213", "1500",
                "2025-03-02T10:00:00Z")), counts(1, 1, 0, 0)));
        // a quoted newline: one record over two physical lines; the next record's line is its physical line
        c.add(one("quoted-newline", csv(H, row("v1", "2025-03-01", "123-45-6789", "\"line one\nline two\"", "99213", "1500",
                "2025-03-02T10:00:00Z"), "v2,bad-date,123-45-6789,P1,99213,1500,2025-03-02T10:00:00Z"),
                counts(2, 1, 1, 0, "a.csv:4:bad_date")));
        c.add(one("quoted-crlf", utf8(H + "\r\n" + row("v1", "2025-03-01", "123-45-6789", "\"a\r\nb\"", "99213", "1500",
                "2025-03-02T10:00:00Z") + "\r\n"), counts(1, 1, 0, 0)));
        c.add(one("quoted-empty-field", csv(H, row("v1", "2025-03-01", "123-45-6789", "\"\"", "99213", "1500", "2025-03-02T10:00:00Z")),
                counts(1, 0, 1, 0, "a.csv:2:missing_field")));
        // an unterminated quote swallows the rest of the object into one field: one record, wrong field count
        c.add(one("unterminated-quote", csv(H, ok("v1"), row("v2", "2025-03-01", "123-45-6789", "\"open", "99213", "1500",
                "2025-03-02T10:00:00Z"), ok("v3")), counts(2, 1, 1, 0, "a.csv:3:field_count")));
        // binary
        byte[] junk = new byte[4096];
        new java.util.Random(12).nextBytes(junk);
        c.add(one("binary-junk", junk, fails("a.csv")));
        c.add(one("binary-junk-after-header", concat(csv(H, ok("v1")), junk),
                counts(32, 1, 31, 0, java.util.stream.IntStream.rangeClosed(3, 34).filter(l -> l != 11)
                        .mapToObj(l -> "a.csv:" + l + ":invalid_utf8").toArray(String[]::new))));
        c.add(one("nul-bytes-in-field", concat(csv(H), utf8("v1,2025-03-01,123-45-6789,P\0\0,99213,1500,2025-03-02T10:00:00Z\n")),
                counts(1, 1, 0, 0)));
        // gzip
        c.add(new Case("gzip-valid", Map.of("a.csv.gz", gzip(csv(H, ok("v1"), ok("v2")))), counts(2, 2, 0, 0)));
        c.add(one("csv-that-is-gzip", gzip(csv(H, ok("v1"))), fails("a.csv", "line 1: header must be")));
        byte[] gz = gzip(csv(H, ok("v1"), ok("v2"), ok("v3")));
        c.add(new Case("truncated-csv-gz", Map.of("a.csv.gz", java.util.Arrays.copyOf(gz, gz.length - 12)),
                fails("a.csv.gz", "not a valid gzip object")));
        c.add(new Case("csv-gz-that-is-plain", Map.of("a.csv.gz", csv(H, ok("v1"))), fails("a.csv.gz", "not a valid gzip object")));
        c.add(new Case("empty-csv-gz", Map.of("a.csv.gz", new byte[0]), fails("a.csv.gz", "not a valid gzip object")));
        // every invalid value class of the visits workload
        c.add(value("empty-visit-id", row("", "2025-03-01", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "missing_field"));
        c.add(value("empty-ssn", row("v2", "2025-03-01", "", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "missing_field"));
        c.add(value("empty-updated-at", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "1500", ""), "missing_field"));
        c.add(value("date-not-a-date", row("v2", "yesterday", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_date"));
        c.add(value("date-feb-30", row("v2", "2025-02-30", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_date"));
        c.add(value("date-month-13", row("v2", "2025-13-01", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_date"));
        c.add(value("date-us-format", row("v2", "03/01/2025", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_date"));
        c.add(value("ssn-no-dashes", row("v2", "2025-03-01", "123456789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_ssn"));
        c.add(value("ssn-letters", row("v2", "2025-03-01", "12A-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00Z"), "bad_ssn"));
        c.add(value("amount-decimal", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "15.00", "2025-03-02T10:00:00Z"), "bad_amount"));
        c.add(value("amount-text", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "lots", "2025-03-02T10:00:00Z"), "bad_amount"));
        c.add(value("amount-overflow", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "99999999999999999999",
                "2025-03-02T10:00:00Z"), "bad_amount"));
        c.add(value("updated-at-date-only", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "1500", "2025-03-02"), "bad_updated_at"));
        c.add(value("updated-at-no-zone", row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "1500", "2025-03-02T10:00:00"),
                "bad_updated_at"));
        // duplicates
        c.add(one("duplicate-ids-in-object", csv(H, ok("v1"), ok("v1"), ok("v2")), counts(3, 2, 0, 1)));
        c.add(new Case("duplicate-ids-across-objects", new TreeMap<>(Map.of("a.csv", csv(H, ok("v1"), ok("v2")),
                "b.csv", csv(H, ok("v1"), ok("v3")), "c.csv", csv(H, ok("v1")))), counts(5, 3, 0, 2)));
        c.add(new Case("duplicate-of-a-rejected-row", new TreeMap<>(Map.of("a.csv", csv(H, row("v1", "bad", "123-45-6789", "P1",
                "99213", "1500", "2025-03-02T10:00:00Z")), "b.csv", csv(H, ok("v1")))), counts(2, 1, 1, 0, "a.csv:2:bad_date")));
        // documented assumption (docs/pipeline.md): all versions of a visit share its key (visit_date, ssn);
        // a visit_id whose date changed lands in another chunk and both versions are kept
        // (when the two keys share a chunk the duplicate is found: key A fills a chunk of its own here)
        c.add(one("duplicate-id-with-another-key", csv(H, ok("v1"), ok("f1"), ok("f2"), row("v1", "2025-03-09", "123-45-6789", "P1",
                "99213", "1500", "2025-03-10T10:00:00Z")), counts(4, 4, 0, 0)));
        c.add(new Case("mixed-valid-and-broken-objects", new TreeMap<>(Map.of("a.csv", csv(H, ok("v1")), "b.csv", csv("nope", ok("v2")))),
                fails("b.csv", "line 1: header must be")));
        // the events workload (JSON Lines): the machinery's own rejects, then the workload's
        String ev = "{\"event_id\":\"e1\",\"user_id\":\"u1\",\"type\":\"view\",\"timestamp\":\"2025-03-01T10:00:00Z\"}";
        c.add(events("events-valid", csv(ev, ev.replace("e1", "e2")), counts(2, 2, 0, 0)));
        c.add(events("events-not-json", csv(ev, "{not json", "[1,2]", "42"), counts(4, 1, 3, 0,
                "a.jsonl:2:bad_json", "a.jsonl:3:bad_json", "a.jsonl:4:bad_json")));
        c.add(events("events-missing-and-wrong-typed-fields", csv(ev, ev.replace("\"user_id\":\"u1\",", ""),
                ev.replace("\"type\":\"view\"", "\"type\":5"), ev.replace("2025-03-01T10:00:00Z", "yesterday")),
                counts(4, 1, 3, 0, "a.jsonl:2:missing_field", "a.jsonl:3:missing_field", "a.jsonl:4:bad_timestamp")));
        c.add(events("events-duplicate-event-id", csv(ev, ev, ev.replace("e1", "e2")), counts(3, 2, 0, 1)));
        c.add(events("events-invalid-utf8", concat(csv(ev), utf8(ev.replace("view", "vi")), new byte[] {(byte) 0xFF},
                utf8("\n")), counts(2, 1, 1, 0, "a.jsonl:2:invalid_utf8")));
        c.add(new Case("events-truncated-gz", Map.of("a.jsonl.gz", java.util.Arrays.copyOf(gzip(csv(ev, ev)), 20)),
                fails("a.jsonl.gz", "not a valid gzip object"), "events"));
        // big inputs, generated
        c.add(one("field-of-20-mb", concat(csv(H, ok("v1")), utf8("v2,2025-03-01,123-45-6789,"), bigField(20 << 20),
                utf8(",99213,1500,2025-03-02T10:00:00Z\n"), csv(ok("v3"))), fails("a.csv", "not readable as CSV", "line 3")));
        c.add(new Case("million-rows-of-one-key", Map.of("a.csv.gz", oneKeyRows(1_000_000, 100_000)),
                counts(1_000_000, 1, 10, 999_989, everyNth(1_000_000, 100_000))));
        return c.stream();
    }

    private static Case events(String name, byte[] body, Object expected) {
        return new Case(name, Map.of("a.jsonl", body), expected, "events");
    }

    private static byte[] bigField(int bytes) {
        byte[] b = new byte[bytes];
        java.util.Arrays.fill(b, (byte) 'x');
        return b;
    }

    /** {@code rows} rows of visit v1, gzipped as they are written; each {@code nth} row (from nth/2) has a bad amount. */
    private static byte[] oneKeyRows(int rows, int nth) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (OutputStream gz = new GZIPOutputStream(bytes, 1 << 16)) {
            gz.write(utf8(H + "\n"));
            for (int i = 0; i < rows; i++) {
                String amount = i % nth == nth / 2 ? "x" : Integer.toString(i % 1000);
                gz.write(utf8(row("v1", "2025-03-01", "123-45-6789", "P1", "99213", amount,
                        java.time.Instant.ofEpochSecond(1_700_000_000L + i) + "\n")));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static String[] everyNth(int rows, int nth) {
        List<String> out = new ArrayList<>();
        for (int i = nth / 2; i < rows; i += nth) {
            out.add("a.csv.gz:" + (i + 2) + ":bad_amount");
        }
        return out.toArray(String[]::new);
    }

    @org.junit.jupiter.api.Test
    void duplicatesKeepTheLatestAndOnATieTheRowReadLater(EmbeddedAws aws) {
        String prefix = "input/corpus/duplicate-winners/";
        Map<String, byte[]> files = Map.of(
                "a.csv", csv(H, row("v1", "2025-03-01", "123-45-6789", "P1", "99213", "100", "2025-03-02T10:00:00Z"),
                        row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "1", "2025-03-02T10:00:00Z"),
                        row("v2", "2025-03-01", "123-45-6789", "P1", "99213", "2", "2025-03-02T10:00:00Z")),
                "b.csv", csv(H, row("v1", "2025-03-01", "123-45-6789", "P1", "99213", "200", "2025-03-02T09:00:00Z")),
                "c.csv", csv(H, row("v1", "2025-03-01", "123-45-6789", "P1", "99213", "300", "2025-03-02T10:00:00Z")));
        files.forEach((name, body) -> aws.s3().putObject(b -> b.bucket(aws.bucket()).key(prefix + name), RequestBody.fromBytes(body)));
        String job = "corpus-duplicate-winners";
        check(aws, job, prefix, counts(5, 2, 0, 3), "visits");
        Map<String, Long> kept = new TreeMap<>();
        TestData.objects(aws, RunLayout.partPrefix(job, "visits")).forEach((key, body) -> TestData.text(key, body).lines()
                .map(l -> Json.readTree(l.getBytes(StandardCharsets.UTF_8)))
                .forEach(v -> kept.put(v.get("visit_id").asText(), v.get("amount_cents").asLong())));
        assertEquals(Map.of("v1", 300L, "v2", 2L), kept, "latest updated_at wins; on a tie the later object, then the later line");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void corpusCase(Case k, EmbeddedAws aws) {
        String job = "corpus-" + k.name();
        String prefix = "input/corpus/" + k.name() + "/";
        k.files().forEach((name, body) -> aws.s3().putObject(b -> b.bucket(aws.bucket()).key(prefix + name), RequestBody.fromBytes(body)));
        try {
            check(aws, job, prefix, k.expected(), k.workload());
        } finally {
            // the big cases leave ~100 MB of chunk data behind; the shared in-memory S3 would keep it to the end
            TestData.deleteUnder(aws, prefix, RunLayout.runPrefix(job), RunLayout.outputPrefix(job), RunLayout.jobPrefix(job));
        }
    }

    private static void check(EmbeddedAws aws, String job, String prefix, Object expected, String workload) {
        JsonNode summary;
        try {
            summary = run(aws, job, prefix, workload);
        } catch (InvalidInput e) {
            if (expected instanceof Fails f) {
                for (String part : f.parts()) {
                    assertTrue(e.getMessage().contains(part), "message lacks '" + part + "': " + e.getMessage());
                }
                assertTrue(e.getMessage().contains(prefix), "names the object by key: " + e.getMessage());
                return;
            }
            throw e;
        }
        if (expected instanceof Fails f) {
            fail("expected InvalidInput naming " + f.parts() + ", got a run: " + summary);
        }
        long in = summary.get("rows_in").asLong();
        long out = summary.get("rows_out").asLong();
        long rejected = summary.get("rows_rejected").asLong();
        long duplicates = summary.get("duplicates_dropped").asLong();
        assertEquals(in, out + rejected + duplicates, "every row counted once: " + summary);
        List<String> rejects = rejects(aws, job, prefix);
        // outputs, rejects, summary, report, chunk results, offloaded job record: never an SSN (chunk data may hold them)
        for (String p : List.of(RunLayout.outputPrefix(job), RunLayout.resultsPrefix(job), RunLayout.jobPrefix(job))) {
            TestData.objects(aws, p).forEach((key, body) ->
                    assertFalse(SSN.matcher(TestData.text(key, body)).find(), "an SSN in " + key));
        }
        assertEquals(rejected, rejects.size(), "one line in the rejects part per rejected row");
        Map<String, Long> reasons = new TreeMap<>();
        rejects.forEach(r -> reasons.merge(r.substring(r.lastIndexOf(':') + 1), 1L, Long::sum));
        Map<String, Long> summaryReasons = new TreeMap<>();
        JsonNode stored = Json.readTree(TestData.get(aws, summary.get("summary_key").asText()));
        stored.path("reject_reasons").fields().forEachRemaining(e -> summaryReasons.put(e.getKey(), e.getValue().asLong()));
        assertEquals(reasons, summaryReasons, "summary reject_reasons");
        Map<String, Object> item = JobStore.fromEnv(aws.clients()).read(job).orElseThrow();
        for (String counter : List.of("rows_in", "rows_out", "rows_rejected", "duplicates_dropped")) {
            assertEquals(summary.get(counter).asLong(), ((Number) item.get(counter)).longValue(), "job item " + counter);
        }
        assertTrue(aws.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix(RunLayout.successKey(job))).keyCount() == 1, "_SUCCESS");
        if (expected instanceof Counts x) {
            assertEquals(List.of(x.in(), x.out(), x.rejected(), x.duplicates()), List.of(in, out, rejected, duplicates),
                    "rows in, out, rejected, duplicates");
            assertEquals(x.rejects(), rejects, "rejects (object:line:reason)");
        } else {
            assertTrue(expected == null, "unexpected expectation " + expected);
        }
    }

    /** GetChunks, ProcessChunk per chunk, Summarize, through the handlers; the job item exists as StartJob leaves it. */
    static JsonNode run(EmbeddedAws aws, String job, String prefix, String workload) {
        JobStore.fromEnv(aws.clients()).createIfAbsent(job, Map.of("source", Map.of("prefix", prefix)));
        JsonNode plan = Json.readTree(TestData.invoke(new GetChunksHandler(aws.clients()),
                "{\"job_id\":\"" + job + "\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":2,\"workload\":\"" + workload + "\"}"));
        ProcessChunkHandler process = new ProcessChunkHandler(aws.clients());
        for (int i = 0; i < plan.get("num_chunks").asInt(); i++) {
            TestData.invoke(process, "{\"job_id\":\"" + job + "\",\"chunk_id\":" + i + "}");
        }
        return Json.readTree(TestData.invoke(new SummarizeHandler(aws.clients()), "{\"job_id\":\"" + job + "\"}"));
    }

    /** Each line of the rejects part as {@code object:line:reason}, by object then line (chunks follow keys, not lines). */
    static List<String> rejects(EmbeddedAws aws, String job, String prefix) {
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, byte[]> e : TestData.objects(aws, RunLayout.partPrefix(job, Workloads.REJECTS_PART)).entrySet()) {
            for (String line : TestData.text(e.getKey(), e.getValue()).lines().toList()) {
                JsonNode r = Json.readTree(line.getBytes(StandardCharsets.UTF_8));
                String source = r.get("source").asText();
                assertTrue(source.startsWith(prefix) || !source.contains("/"), "reject source " + source);
                out.add(source.substring(source.lastIndexOf('/') + 1) + ":" + r.get("line").asLong() + ":" + r.get("reason").asText());
            }
        }
        out.sort(java.util.Comparator.comparing((String r) -> r.substring(0, r.indexOf(':')))
                .thenComparingLong(r -> Long.parseLong(r.substring(r.indexOf(':') + 1, r.lastIndexOf(':')))));
        return out;
    }
}
