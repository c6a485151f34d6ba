package dev.chunkflow.local.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.local.run.SampleData;
import dev.chunkflow.pipeline.plan.FanOutSettings;
import dev.chunkflow.pipeline.plan.FinishPlanService;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.plan.PlanPartitionService;
import dev.chunkflow.pipeline.plan.ShuffleSplitService;
import dev.chunkflow.pipeline.plan.Split;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.workload.Workloads;

/**
 * Section 8: planning wall time of the fan-out path with 1 and 2 workers (threads standing in for
 * concurrent Lambda workers) against one GetChunks invocation on the same data, services called directly
 * (no state machine), the in-process S3 server sharing the cores; then a model of 100 GB and 1 TB at 100
 * and 1,000 workers from the per-worker rates measured here.
 */
public final class FanOutPlanning implements BenchSection {
    static final String PREFIX = "bench/fanout/visits/";
    private static final long PARTITION_BYTES = 16L << 20;
    private static final int RUNS = 2;

    @Override
    public String key() {
        return "fan_out_planning";
    }

    @Override
    public String title() {
        return "8. Fan-out planning";
    }

    public record Timing(double totalMs, double splitMs, double partitionMs, int chunks) {
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        long rows = ctx.size(2_000_000, 500_000);
        String loadBefore = loadAverage();
        Path spill = Files.createDirectories(ctx.scratch("fanout").resolve("tmp"));
        try (EmbeddedAws aws = EmbeddedAws.inMemory()) {
            String bucket = aws.bucket();
            ctx.say("fan-out: generating %,d rows into s3://%s/%s", rows, bucket, PREFIX);
            SampleData.generateTo(aws.s3(), bucket, PREFIX, rows, 42);
            long bytes = aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket).prefix(PREFIX)).contents().stream()
                    .mapToLong(o -> o.size()).sum();
            S3Io s3 = new S3Io(aws.s3());
            GetChunksService.Settings settings = new GetChunksService.Settings(50_000, 1000, PARTITION_BYTES,
                    GetChunksService.Settings.MAX_PARTITIONS, spill, 8);
            plan(s3, bucket, settings, "warm-one", 0);
            plan(s3, bucket, settings, "warm-fan", 2);
            double[] one = new double[RUNS];
            Timing[] w1 = new Timing[RUNS];
            Timing[] w2 = new Timing[RUNS];
            int chunks = 0;
            for (int i = 0; i < RUNS; i++) {
                Timing o = plan(s3, bucket, settings, "one-" + i, 0);
                one[i] = o.totalMs();
                chunks = o.chunks();
                w1[i] = plan(s3, bucket, settings, "w1-" + i, 1);
                w2[i] = plan(s3, bucket, settings, "w2-" + i, 2);
                if (w1[i].chunks() != chunks || w2[i].chunks() != chunks) {
                    throw new IllegalStateException("the fan-out planned " + w1[i].chunks() + "/" + w2[i].chunks() + " chunks, one invocation " + chunks);
                }
                ctx.say("fan-out: run %d: one invocation %.0f ms, 1 worker %.0f ms, 2 workers %.0f ms", i + 1, one[i],
                        w1[i].totalMs(), w2[i].totalMs());
            }
            String loadAfter = loadAverage();
            double oneMs = Stats.median(one);
            double w1Ms = median(w1, Timing::totalMs);
            double w2Ms = median(w2, Timing::totalMs);
            double mb = bytes / 1e6;
            double splitRate = mb / (median(w1, Timing::splitMs) / 1000);
            double partitionRate = mb / (median(w1, Timing::partitionMs) / 1000);
            double oneRate = mb / (oneMs / 1000);

            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("rows", rows);
            json.put("load_average_before", loadBefore);
            json.put("load_average_after", loadAfter);
            json.put("bytes", bytes);
            json.put("chunks", chunks);
            json.put("partitions", (int) Math.min(GetChunksService.Settings.MAX_PARTITIONS, (bytes + PARTITION_BYTES - 1) / PARTITION_BYTES));
            json.put("one_invocation_ms", Stats.round(oneMs, 1));
            json.put("fan_out_1_worker_ms", Stats.round(w1Ms, 1));
            json.put("fan_out_2_workers_ms", Stats.round(w2Ms, 1));
            json.put("split_mb_per_s_per_worker", Stats.round(splitRate, 1));
            json.put("partition_mb_per_s_per_worker", Stats.round(partitionRate, 1));
            json.put("one_invocation_mb_per_s", Stats.round(oneRate, 1));
            json.putArray("targets");

            StringBuilder md = new StringBuilder();
            md.append(String.format(Locale.ROOT, """
                    %,d visit rows in CSV objects of 250,000 rows (%d; %.1f MB), planned into %d chunks of 50,000 rows over %d key-hash
                    partitions (%d MiB of rows each, so that there are several), from the in-process S3 server. The fan-out
                    path's services are called directly, each step's splits or partitions on 1 or 2 threads standing in
                    for concurrent Lambda workers (no state machine, no cold starts); all of it shares this machine's 2 cores
                    with the S3 server (1-minute load average %s before, %s after: other work on the machine slows every
                    rate below alike). Median of %d interleaved runs after a warm-up of each; both paths write the same chunks.

                    | planning | median ms | vs one invocation |
                    |---|---:|---:|
                    | one GetChunks invocation | %,.0f | 1.00x |
                    | fan-out, 1 worker | %,.0f | %.2fx |
                    | fan-out, 2 workers | %,.0f | %.2fx |

                    Per worker (1-worker runs): a split worker shuffles %.1f MB/s of CSV, a partition worker plans %.1f MB/s;
                    one invocation plans %.1f MB/s. The fan-out does more work than one invocation (every row goes to S3 and
                    back once more, as a shuffle object), so it pays only where one invocation cannot go: past its 15
                    minutes, its memory, or its single machine.

                    """, rows, SampleData.filesFor(rows), mb, chunks, json.path("partitions").asInt(), PARTITION_BYTES >> 20,
                    loadBefore, loadAfter, RUNS,
                    oneMs, w1Ms, w1Ms / oneMs, w2Ms, w2Ms / oneMs, splitRate, partitionRate, oneRate));
            // The machine's other load slows every rate here alike: the model keeps their ratios but anchors
            // them on the planner section's one-invocation rate (this run's, or the last full run's).
            double anchor = anchorRate(ctx, oneRate);
            double scale = anchor / oneRate;
            json.put("model_one_invocation_mb_per_s", Stats.round(anchor, 1));
            md.append(String.format(Locale.ROOT, """
                    The model below scales these three rates by the same factor, %.2f, so that one invocation plans
                    %.1f MB/s as in section 3 (measured with less load): a split worker %.1f MB/s, a partition worker %.1f MB/s.

                    """, scale, anchor, splitRate * scale, partitionRate * scale));
            md.append(model(splitRate * scale, partitionRate * scale, anchor));
            return new Result(json, md.toString());
        }
    }

    /** GetChunks' rate from section 3 (this run's, else bench/results/latest.json's), else {@code measured}. */
    static double anchorRate(BenchContext ctx, double measured) {
        JsonNode planner = ctx.earlier().get("planner");
        if (planner == null) {
            try {
                planner = Json.readTree(Files.readAllBytes(ctx.repoRoot().resolve("bench/results/latest.json"))).path("planner");
            } catch (java.io.IOException | RuntimeException e) {
                planner = null;
            }
        }
        double rate = planner == null ? 0 : planner.path("mb_per_s").asDouble(0);
        return rate > 0 ? rate : measured;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double median(Timing[] t, java.util.function.ToDoubleFunction<Timing> f) {
        double[] v = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            v[i] = f.applyAsDouble(t[i]);
        }
        return Stats.median(v);
    }

    /** workers 0: one GetChunks invocation; otherwise the fan-out path on that many threads. */
    private static Timing plan(S3Io s3, String bucket, GetChunksService.Settings settings, String jobId, int workers) throws Exception {
        return plan(s3, bucket, settings, jobId, PREFIX, workers);
    }

    /**
     * Plans {@code prefix} as job {@code jobId} through the services the fan-out functions run (workers 0: one
     * GetChunks invocation); the cold-start section uses it to give the fan-out functions a real job.
     */
    public static Timing plan(S3Io s3, String bucket, GetChunksService.Settings settings, String jobId, String prefix,
                              int workers) throws Exception {
        GetChunksService service = new GetChunksService(s3, bucket, settings);
        GetChunksService.Request req = new GetChunksService.Request(jobId, bucket, prefix, 0);
        long t0 = System.nanoTime();
        if (workers == 0) {
            int chunks = service.run(req).numChunks();
            return new Timing((System.nanoTime() - t0) / 1e6, 0, 0, chunks);
        }
        service.withFanOut(new FanOutSettings(1, 1, 512L << 20, FanOutSettings.MAX_PARTITIONS)).plan(req);
        ShuffleSplitService splits = new ShuffleSplitService(s3, bucket, settings, Workloads.installed());
        PlanPartitionService partitions = new PlanPartitionService(s3, bucket, settings, Workloads.installed());
        FinishPlanService finish = new FinishPlanService(s3, bucket, 1000);
        List<Runnable> splitTasks = new ArrayList<>();
        for (JsonNode n : Json.readTree(s3.getBytes(bucket, RunLayout.splitsKey(jobId)))) {
            Split split = new Split(n.path("split").asInt(), n.path("source_index").asInt(), n.path("key").asText(),
                    n.path("etag").asText(), n.path("size").asLong(), n.path("start").asLong(), n.path("end").asLong());
            splitTasks.add(() -> splits.run(jobId, split));
        }
        long t1 = System.nanoTime();
        onThreads(splitTasks, workers);
        long t2 = System.nanoTime();
        finish.collect(jobId);
        List<Runnable> partitionTasks = new ArrayList<>();
        for (JsonNode p : Json.readTree(s3.getBytes(bucket, RunLayout.partitionsKey(jobId)))) {
            partitionTasks.add(() -> partitions.run(jobId, p.asInt()));
        }
        long t3 = System.nanoTime();
        onThreads(partitionTasks, workers);
        long t4 = System.nanoTime();
        int chunks = Json.MAPPER.valueToTree(finish.number(jobId)).path("num_chunks").asInt();
        return new Timing((System.nanoTime() - t0) / 1e6, (t2 - t1) / 1e6, (t4 - t3) / 1e6, chunks);
    }

    private static void onThreads(List<Runnable> tasks, int threads) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (Runnable t : tasks) {
                futures.add(pool.submit(t));
            }
            for (Future<?> f : futures) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** Planning time and cost at scale from the per-worker rates measured above. */
    public static String model(double splitRate, double partitionRate, double oneRate) {
        StringBuilder b = new StringBuilder();
        b.append("""
                **Model: 100 GB and 1 TB of CSV.** Objects of 512 MB (one split each), 256 partitions (the cap), 80 bytes
                a row, 50,000 rows a chunk; each worker at the rate measured above (a Lambda worker of 2-3 GB has 1.2-1.8
                vCPUs of its own, so this is conservative); a wave of workers takes the slowest one's time; collect and
                number read one small result per split or partition with 32 parallel GETs of ~20 ms. Cost at us-east-1
                list prices: Lambda $0.0000166667 per GB-s (ShuffleSplit 2,048 MB, PlanPartition 3,008 MB), Step
                Functions Standard $0.025 per 1,000 transitions (about 3 per planning child), S3 $0.005 per 1,000 PUTs
                and $0.0004 per 1,000 GETs.

                | source | workers | splits | split phase | partition phase | planning | Lambda GB-s | S3 PUT / GET | planning cost |
                |---|---:|---:|---:|---:|---:|---:|---:|---:|
                """);
        for (double gb : new double[] {100, 1000}) {
            double bytes = gb * 1e9;
            long splits = (long) Math.ceil(bytes / (512.0 * (1 << 20)));
            int partitions = 256;
            double splitSeconds = 512.0 * (1 << 20) / 1e6 / splitRate;
            double partitionSeconds = bytes / partitions / 1e6 / partitionRate;
            double rows = bytes / 80;
            double chunks = Math.ceil(rows / 50_000);
            double puts = splits * (double) partitions + splits + 2 * chunks + partitions + 6;
            double gets = splits + splits * (double) partitions + splits + partitions + 4;
            double gbs = bytes / 1e6 / splitRate * 2.0 + bytes / 1e6 / partitionRate * (3008 / 1024.0);
            double usd = gbs * 0.0000166667 + (splits + partitions) * 3 * 0.025 / 1000 + puts * 0.005 / 1000 + gets * 0.0004 / 1000;
            for (int workers : new int[] {100, 1000}) {
                double split = Math.ceil((double) splits / workers) * splitSeconds;
                double part = Math.ceil((double) partitions / workers) * partitionSeconds;
                double small = (splits + partitions) / 32.0 * 0.02;
                b.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %s | %s | %,.0f | %,.0f / %,.0f | $%.2f |%n",
                        gb >= 1000 ? "1 TB" : "100 GB", workers, splits, duration(split), duration(part),
                        duration(split + part + small), gbs, puts, gets, usd));
            }
        }
        double oneLimitGb = oneRate * 900 / 1000;
        double splitLimitGb = splitRate * 900 / 1000;
        double partitionLimitGb = partitionRate * 900 / 1000;
        b.append(String.format(Locale.ROOT, """

                The partition phase has at most 256 workers (one per partition), so 1,000 workers shorten only the split
                phase; past 256 GB a partition holds more than 1 GB of rows and its worker needs memory for its chunk
                data (about the partition's bytes: a 10,240 MB function for 1 TB).

                **S3 request rates.** A split worker PUTs one object per partition under `shuffle/{partition}/`, so
                1,000 workers finishing in the same second make at most 1,000 PUTs per prefix (S3 allows 3,500 PUT and
                5,500 GET per second per prefix); a partition worker reads only its own prefix (8 GETs in flight) and
                writes its chunks under `chunks/{partition}/`. The split and partition results (one object per worker)
                are the only shared prefixes, at one PUT per worker.

                **Largest source.** One GetChunks invocation at %.1f MB/s: about %.0f GB in 15 minutes (and its key
                index holds every key: ~36 million keys at 3,008 MB). The fan-out: one split (a whole CSV or gzip
                object, or 512 MiB of JSON Lines) must be read in 15 minutes, %.0f GB at %.1f MB/s, so CSV objects up to
                that size; one partition must be planned in 15 minutes (%.0f GB at %.1f MB/s) and fit its function's
                memory (about 4 GB of rows at 10,240 MB), so 256 partitions take about 1 TB; beyond that, more partitions
                (a cap of 256 keeps both paths identical today).
                """, oneRate, oneLimitGb, splitLimitGb, splitRate, partitionLimitGb, partitionRate));
        return b.toString();
    }

    private static String duration(double seconds) {
        return seconds >= 120 ? String.format(Locale.ROOT, "%.1f min", seconds / 60) : String.format(Locale.ROOT, "%.0f s", seconds);
    }
}
