package dev.chunkflow.local.bench;

import java.io.BufferedReader;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.lambda.LocalFunction;
import dev.chunkflow.local.run.SampleData;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Section 3: GetChunks (the real handler, loaded from its template spec and invoked through bytes)
 * against a plain read of the same objects from the same in-process S3 server with the same client:
 * list + GetObject + GZIPInputStream + UTF-8 line split (lines counted). Both rates are computed over the
 * same bytes: the <b>uncompressed</b> CSV bytes of the source objects (1 MB = 10^6 bytes).
 */
final class PlannerThroughput implements BenchSection {
    static final String FUNCTION = "GetChunksFunction";
    static final String PREFIX = "bench/planner/visits/";
    static final double TARGET_RATIO = 0.5;
    private static final int RUNS = Integer.getInteger("bench.runs", 3);

    @Override
    public String key() {
        return "planner";
    }

    @Override
    public String title() {
        return "3. Planner throughput";
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        long rows = ctx.size(1_000_000, 200_000);
        Path scratch = ctx.scratch("planner");
        FunctionDef def = SamTemplate.load(ctx.repoRoot().resolve("template.yaml")).function(FUNCTION)
                .orElseThrow(() -> new IllegalStateException("template.yaml has no " + FUNCTION));
        String oldTmp = System.getProperty("java.io.tmpdir");
        PrintStream logFile = new PrintStream(Files.newOutputStream(scratch.resolve("handler.log")), true, StandardCharsets.UTF_8);
        Log.redirect(logFile);
        // GetChunks spills to java.io.tmpdir ("/tmp" on Lambda): keep it inside the bench scratch folder.
        Path spill = Files.createDirectories(scratch.resolve("tmp"));
        System.setProperty("java.io.tmpdir", spill.toString());
        try (EmbeddedAws aws = EmbeddedAws.inMemory()) {
            S3Client s3 = aws.s3();
            String bucket = aws.bucket();
            ctx.say("planner: generating %,d rows (gzip) into s3://%s/%s", rows, bucket, PREFIX);
            long generated = SampleData.generateTo(s3, bucket, PREFIX, rows, 42, true);
            LocalFunction getChunks = LocalFunction.load(FUNCTION, def.handler(), aws.clients(), def.memorySizeMb(),
                    def.timeoutSeconds());

            // warm-up: one of each (JIT, connection pool, server caches)
            RawRead raw = rawRead(s3, bucket);
            long plannedRows = plan(getChunks, "bench-planner-warmup").path("total_rows").asLong();
            cleanup(s3, bucket, RunLayout.runPrefix("bench-planner-warmup"));
            if (plannedRows != generated || raw.lines - raw.objects != generated) {
                throw new IllegalStateException("row counts disagree: generated " + generated + ", planner " + plannedRows
                        + ", plain read " + (raw.lines - raw.objects) + " (without headers)");
            }
            ctx.say("planner: %d objects, %,d compressed bytes, %,d uncompressed bytes", raw.objects, raw.compressedBytes,
                    raw.uncompressedBytes);

            double[] rawMs = new double[RUNS];
            double[] planMs = new double[RUNS];
            int numChunks = 0;
            for (int i = 0; i < RUNS; i++) {
                long t0 = System.nanoTime();
                rawRead(s3, bucket);
                rawMs[i] = (System.nanoTime() - t0) / 1e6;
                String jobId = "bench-planner-" + i;
                t0 = System.nanoTime();
                JsonNode out = plan(getChunks, jobId);
                planMs[i] = (System.nanoTime() - t0) / 1e6;
                numChunks = out.path("num_chunks").asInt();
                cleanup(s3, bucket, RunLayout.runPrefix(jobId));
                ctx.say("planner: run %d: plain read %.0f ms, GetChunks %.0f ms (%d chunks)", i + 1, rawMs[i], planMs[i], numChunks);
            }

            double mb = raw.uncompressedBytes / 1e6;
            double rawMedian = Stats.median(rawMs);
            double planMedian = Stats.median(planMs);
            double rawRate = mb / (rawMedian / 1000);
            double planRate = mb / (planMedian / 1000);
            double ratio = planRate / rawRate;
            boolean met = ratio >= TARGET_RATIO;

            // goes under "planner" in the results file
            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("mb_per_s", Stats.round(planRate, 1));
            json.put("raw_mb_per_s", Stats.round(rawRate, 1));
            json.put("ratio", Stats.round(ratio, 3));
            json.put("rows", generated);
            json.put("objects", raw.objects);
            json.put("bytes", raw.uncompressedBytes);
            json.put("compressed_bytes", raw.compressedBytes);
            json.put("mb_definition", "10^6 bytes of uncompressed CSV (the source objects' gunzipped bytes), for both rates");
            json.put("num_chunks", numChunks);
            json.put("median_ms", Stats.round(planMedian, 1));
            json.put("raw_median_ms", Stats.round(rawMedian, 1));
            json.put("samples", RUNS);
            ObjectNode runs = json.putObject("runs_ms");
            ArrayNode ps = runs.putArray("planner");
            ArrayNode rs = runs.putArray("raw");
            for (int i = 0; i < RUNS; i++) {
                ps.add(Stats.round(planMs[i], 1));
                rs.add(Stats.round(rawMs[i], 1));
            }
            logFile.flush();
            Map<String, Double> phases = phases(scratch.resolve("handler.log"));
            ObjectNode ph = json.putObject("phases_median_ms");
            phases.forEach((k, v) -> ph.put(k, Stats.round(v, 1)));
            String measured = String.format(Locale.ROOT, "%.1f MB/s vs %.1f MB/s plain read = %.0f%%", planRate, rawRate, ratio * 100);
            json.putArray("targets").add(BenchReport.target("Planner (GetChunks) throughput >= 50% of a plain read + gunzip + line split",
                    measured, met));

            String md = String.format(Locale.ROOT, """
                    GetChunks (the real handler, invoked through bytes as Lambda would) plans %,d generated visit rows in
                    %d `.csv.gz` objects (%,.1f MB compressed, %,.1f MB of CSV) from the in-process S3 server; the baseline is a
                    plain read of the same objects with the same S3 client: list, GetObject, `GZIPInputStream`, UTF-8 line
                    split (lines counted). MB = 10^6 bytes of **uncompressed** CSV for both rates. Median of %d runs each,
                    interleaved, after a warm-up run of each.

                    | | median ms | MB/s | runs (ms) |
                    |---|---|---|---|
                    | plain read (list + get + gunzip + split) | %.0f | %.1f | %s |
                    | GetChunks (read, index, spill, plan, write %d chunks) | %.0f | %.1f | %s |

                    Ratio GetChunks / plain read: **%.0f%%** (target >= 50%%: %s).

                    GetChunks phases (median of the timed runs, from its own log line): read + key index +
                    local scratch %.0f ms, index sort + plan %.0f ms, scratch read-back + split into chunks %.0f ms,
                    then waiting for the chunk objects to be PUT %.0f ms.

                    What dominates: the plain read inflates the data once and splits lines. GetChunks does that too, then
                    parses every row's key into the key index, appends the row to its scratch partition (in the heap when
                    the source fits in an eighth of it, as here; gzip level 1 on local disk otherwise), reads the partition
                    back, finds every row's chunk (a binary search over each chunk's first key), appends the row to that chunk's data object,
                    writes a gzip JSON key set per chunk and PUTs every row back (plain CSV: 3x the bytes the plain read
                    GETs), on %d cores shared with the in-process S3 server. A JFR profile of a 1,000,000-row run (before the chunk lookup was a binary search) put
                    about 45%% of GetChunks' samples in the key index (`LongIntMap` add/get: random access into a table
                    of ~20 MB per million keys), the rest in line reading/writing and key encoding. A plan is a read and a
                    rewrite of the whole data set, so 50%% of a read alone is out of reach while the hand-over goes
                    through S3; chunk data in gzip (then inflated again by ProcessChunk) and scratch always on disk were
                    the measured costs fixed so far (GetChunks 3.5x faster on 200,000 rows).
                    """, generated, raw.objects, raw.compressedBytes / 1e6, mb, RUNS,
                    rawMedian, rawRate, join(rawMs), numChunks, planMedian, planRate, join(planMs),
                    ratio * 100, met ? "met" : "**not met**", phases.getOrDefault("read", Double.NaN),
                    phases.getOrDefault("index", Double.NaN), phases.getOrDefault("split", Double.NaN),
                    phases.getOrDefault("puts_wait", Double.NaN), Runtime.getRuntime().availableProcessors());
            return new Result(json, md);
        } finally {
            System.setProperty("java.io.tmpdir", oldTmp);
            Log.redirect(System.out);
            logFile.close();
        }
    }

    private static JsonNode plan(LocalFunction getChunks, String jobId) throws IOException {
        ObjectNode req = Json.MAPPER.createObjectNode();
        req.put("job_id", jobId);
        req.putObject("source").put("prefix", PREFIX);
        return Json.MAPPER.readTree(getChunks.invoke(Json.MAPPER.writeValueAsBytes(req)));
    }

    static void cleanup(S3Client s3, String bucket, String prefix) {
        List<String> keys = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(o -> keys.add(o.key()));
        for (String k : keys) {
            s3.deleteObject(b -> b.bucket(bucket).key(k));
        }
    }

    record RawRead(int objects, long lines, long compressedBytes, long uncompressedBytes) {
    }

    /** The baseline: list, then per object GetObject + gunzip + UTF-8 decode + line split, counting lines. */
    static RawRead rawRead(S3Client s3, String bucket) throws IOException {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents().forEach(objects::add);
        long lines = 0;
        long compressed = 0;
        long uncompressed = 0;
        for (S3Object o : objects) {
            compressed += o.size();
            CountingStream counted;
            try (InputStream body = s3.getObject(b -> b.bucket(bucket).key(o.key()));
                 CountingStream c = new CountingStream(new GZIPInputStream(body, 64 * 1024));
                 BufferedReader in = new BufferedReader(new InputStreamReader(c, StandardCharsets.UTF_8), 256 * 1024)) {
                counted = c;
                while (in.readLine() != null) {
                    lines++;
                }
            }
            uncompressed += counted.count;
        }
        return new RawRead(objects.size(), lines, compressed, uncompressed);
    }

    private static String join(double[] ms) {
        StringBuilder b = new StringBuilder();
        for (double v : ms) {
            b.append(b.length() == 0 ? "" : ", ").append(String.format(Locale.ROOT, "%.0f", v));
        }
        return b.toString();
    }

    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }

    /** Median phase timings of the timed runs (job ids bench-planner-N), from GetChunks' "chunks planned" log lines. */
    private static Map<String, Double> phases(Path log) throws IOException {
        Map<String, List<Double>> values = new LinkedHashMap<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) {
            if (!line.contains("\"chunks planned\"")) {
                continue;
            }
            JsonNode j = Json.MAPPER.readTree(line);
            if (!j.path("job_id").asText().matches("bench-planner-\\d+")) {
                continue;
            }
            for (String k : List.of("read", "index", "split", "puts_wait", "total")) {
                if (j.has(k + "_ms")) {
                    values.computeIfAbsent(k, x -> new ArrayList<>()).add(j.path(k + "_ms").asDouble());
                }
            }
        }
        Map<String, Double> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, Stats.median(v.stream().mapToDouble(Double::doubleValue).toArray())));
        return out;
    }
}
