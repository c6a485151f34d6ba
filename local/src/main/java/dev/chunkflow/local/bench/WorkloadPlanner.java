package dev.chunkflow.local.bench;

import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.pipeline.plan.GetChunksOutput;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.Workloads;
import dev.chunkflow.workloads.events.EventsWorkload;
import dev.chunkflow.workloads.visits.VisitsWorkload;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Section 3b: GetChunks' planning speed per workload, the service on the same embedded S3: visits with
 * its packed-long key encoder, the same visits data through the general key path (no encoder: what any
 * workload without one gets), and events (JSON Lines keyed by user_id). Runs are interleaved, each round
 * in the opposite order of the one before (so neither side always runs right after the other); the
 * general/encoder ratio is the median of the rounds' own ratios (each pair ran back to back).
 */
final class WorkloadPlanner implements BenchSection {
    static final int RUNS = 5;
    static final double TARGET_RATIO = 0.7;

    @Override
    public String key() {
        return "workload_planner";
    }

    @Override
    public String title() {
        return "3b. Planner speed per workload";
    }

    /** visits without its key encoder: the general path every workload without one takes. */
    static Workload visitsGeneric() {
        Workload visits = new VisitsWorkload();
        return new Workload() {
            @Override
            public String name() {
                return "visits-generic";
            }

            @Override
            public RecordFormat format() {
                return visits.format();
            }

            @Override
            public GroupingKey key() {
                return new GroupingKey(visits.key().parts(), Optional.empty());
            }

            @Override
            public List<String> parts() {
                return visits.parts();
            }

            @Override
            public ChunkProcessor newChunkProcessor(ChunkContext context) {
                return visits.newChunkProcessor(context);
            }
        };
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        long rows = ctx.size(500_000, 100_000);
        Path scratch = ctx.scratch("workload-planner");
        Path spill = Files.createDirectories(scratch.resolve("tmp"));
        PrintStream logFile = new PrintStream(Files.newOutputStream(scratch.resolve("planner.log")), true, StandardCharsets.UTF_8);
        Log.redirect(logFile);
        Workloads workloads = Workloads.of(new VisitsWorkload(), visitsGeneric(), new EventsWorkload());
        Map<String, String> prefixes = new LinkedHashMap<>();
        prefixes.put("visits", "bench/wp/visits/");
        prefixes.put("visits-generic", "bench/wp/visits/");
        prefixes.put("events", "bench/wp/events/");
        Map<String, double[]> ms = new LinkedHashMap<>();
        Map<String, Long> bytes = new LinkedHashMap<>();
        Map<String, Long> planned = new LinkedHashMap<>();
        try (EmbeddedAws aws = EmbeddedAws.inMemory()) {
            S3Client s3 = aws.s3();
            String bucket = aws.bucket();
            ctx.say("workload planner: generating %,d rows of visits and of events", rows);
            for (String w : List.of("visits", "events")) {
                workloads.find(w).orElseThrow().sampleData().orElseThrow().write(rows, 42, name -> upload(s3, bucket, prefixes.get(w) + name));
            }
            GetChunksService.Settings settings = new GetChunksService.Settings(50_000, 1000, 64L << 20, 256, spill, 8);
            GetChunksService service = new GetChunksService(new S3Io(s3), bucket, settings, workloads, "visits");
            for (String w : prefixes.keySet()) {
                ms.put(w, new double[RUNS]);
                long b = 0;
                for (var o : s3.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefixes.get(w))).contents()) {
                    b += o.size();
                }
                bytes.put(w, b);
                planned.put(w, plan(s3, bucket, service, w, prefixes.get(w), "bench-wp-warmup-" + w).totalRows()); // warm-up
            }
            List<String> order = new ArrayList<>(prefixes.keySet());
            for (int i = 0; i < RUNS; i++) {
                for (String w : order) {
                    long t0 = System.nanoTime();
                    GetChunksOutput out = service.run(new GetChunksService.Request("bench-wp-" + w + "-" + i, null, prefixes.get(w), 50_000, w));
                    ms.get(w)[i] = (System.nanoTime() - t0) / 1e6;
                    PlannerThroughput.cleanup(s3, bucket, RunLayout.runPrefix(out.jobId()));
                    ctx.say("workload planner: run %d %-15s %,.0f ms", i + 1, w, ms.get(w)[i]);
                }
                java.util.Collections.reverse(order);
            }
        } finally {
            Log.redirect(System.out);
            logFile.close();
        }

        ArrayNode json = Json.MAPPER.createArrayNode();
        StringBuilder md = new StringBuilder(String.format(Locale.ROOT, """
                GetChunks (the service, on the embedded S3, scratch in memory when it fits as on Lambda) plans %,d generated
                records per workload, in one JVM on this machine, %d interleaved rounds after a warm-up of each (every round
                plans each workload once, in the reverse order of the round before), median shown. **visits** uses its key encoder (the
                packed `(visit_date, ssn)` long); **visits-generic** is the same data and key through the general path
                (keys stored as bytes, no encoder: what a workload without an encoder gets); **events** is JSON Lines keyed by
                `user_id` (general path, plus a JSON parse per line). MB = 10^6 bytes of source objects (plain, not gzip).

                | workload | source MB | median ms | records/s | MB/s | runs (ms) |
                |---|---:|---:|---:|---:|---|
                """, rows, RUNS));
        Map<String, Double> rate = new LinkedHashMap<>();
        for (String w : prefixes.keySet()) {
            double median = Stats.median(ms.get(w));
            double mb = bytes.get(w) / 1e6;
            rate.put(w, planned.get(w) / (median / 1000));
            ObjectNode row = json.addObject();
            row.put("workload", w);
            row.put("rows", planned.get(w));
            row.put("source_bytes", bytes.get(w));
            row.put("median_ms", Stats.round(median, 1));
            row.put("rows_per_s", Math.round(rate.get(w)));
            row.put("mb_per_s", Stats.round(mb / (median / 1000), 1));
            ArrayNode runs = row.putArray("runs_ms");
            List<String> shown = new ArrayList<>();
            for (double v : ms.get(w)) {
                runs.add(Stats.round(v, 1));
                shown.add(String.format(Locale.ROOT, "%.0f", v));
            }
            md.append(String.format(Locale.ROOT, "| %s | %.1f | %.0f | %,.0f | %.1f | %s |%n", w, mb, median, rate.get(w),
                    mb / (median / 1000), String.join(", ", shown)));
        }
        double[] paired = new double[RUNS];
        for (int i = 0; i < RUNS; i++) {
            paired[i] = ms.get("visits")[i] / ms.get("visits-generic")[i];
        }
        double ratio = Stats.median(paired);
        double ofMedians = rate.get("visits-generic") / rate.get("visits");
        List<String> pairs = new ArrayList<>();
        for (double r : paired) {
            pairs.add(String.format(Locale.ROOT, "%.0f%%", r * 100));
        }
        md.append(String.format(Locale.ROOT, "%nGeneral key path / encoder fast path on the same data and bytes (visits-generic vs visits): "
                + "**%.0f%%**, the median of the rounds' own ratios (%s; ratio of the medians: %.0f%%; target >= 70%%).%n",
                ratio * 100, String.join(", ", pairs), ofMedians * 100));
        ArrayNode targets = Json.MAPPER.createArrayNode();
        targets.add(BenchReport.target("Planner: generic keys >= 70% of the visits key encoder's speed (same data)",
                String.format(Locale.ROOT, "%.0f%% (%,.0f vs %,.0f records/s)", ratio * 100, rate.get("visits-generic"),
                        rate.get("visits")), ratio >= TARGET_RATIO));
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.set("runs", json);
        out.put("generic_over_encoder", Stats.round(ratio, 3));
        out.put("generic_over_encoder_of_medians", Stats.round(ofMedians, 3));
        return new Result(out, md.toString(), targets);
    }

    /** Plans, then deletes the run's objects: the embedded S3 holds them in this heap, and runs must not slow later ones. */
    private static GetChunksOutput plan(S3Client s3, String bucket, GetChunksService service, String workload, String prefix,
                                        String jobId) {
        GetChunksOutput out = service.run(new GetChunksService.Request(jobId, null, prefix, 50_000, workload));
        PlannerThroughput.cleanup(s3, bucket, RunLayout.runPrefix(jobId));
        return out;
    }

    private static OutputStream upload(S3Client s3, String bucket, String key) {
        return new java.io.ByteArrayOutputStream() {
            @Override
            public void close() {
                s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromBytes(toByteArray()));
            }
        };
    }
}
