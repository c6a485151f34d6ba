package dev.chunkflow.local.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.TokenSecret;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import dev.chunkflow.workload.WorkloadNames;

/**
 * Section 2: {@code chunkflow run} on the sample data set against {@link Monolith} on the same files,
 * same transform, same machine. A small warm-up run of each comes first, then interleaved pairs, so both
 * are measured with a warm JIT (on Lambda, warm environments are the common case of a long run) and
 * under the same load.
 */
final class Throughput implements BenchSection {
    static final long SEED = 7;
    static final int PAIRS = 5;
    static final int CORES = Runtime.getRuntime().availableProcessors();
    /** The template's default MaxConcurrency, shown once for comparison. */
    static final int OVERSUBSCRIBED = 10;

    @Override
    public String key() {
        return "throughput";
    }

    @Override
    public String title() {
        return "2. End-to-end throughput";
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        long rows = ctx.size(1_000_000, 200_000);
        long warmRows = ctx.size(100_000, 20_000);
        int concurrency = Integer.getInteger("chunkflow.bench.concurrency", CORES);
        Path stateDir = ctx.scratch("throughput");
        PrintStream quiet = new PrintStream(java.io.OutputStream.nullOutputStream());

        ctx.say("warm-up: chunkflow run and monolith on %,d rows", warmRows);
        RunReport warm = PipelineRun.execute(ctx.repoRoot(), stateDir, options(warmRows, concurrency, "bench-warmup"), quiet);
        Monolith.run(files(stateDir, warmRows), keys(stateDir, warmRows), secret(), ctx.scratch("monolith-warmup"));
        require(warm.status().equals("SUCCEEDED"), "warm-up run " + warm.status() + " " + warm.error());

        // Interleaved pairs: load from anything else on the machine, and the JIT still warming up, fall on both alike.
        int pairs = ctx.quick() ? 1 : PAIRS;
        long[] chunkflowMs = new long[pairs];
        long[] monolithMs = new long[pairs];
        double[] ratios = new double[pairs];
        RunReport run = null;
        Monolith.Outcome m = null;
        for (int i = 0; i < pairs; i++) {
            ctx.say("pair %d/%d: chunkflow run on %,d rows (MaxConcurrency %d), then the monolith", i + 1, pairs, rows, concurrency);
            run = PipelineRun.execute(ctx.repoRoot(), stateDir, options(rows, concurrency, "bench-throughput"), quiet);
            require(run.status().equals("SUCCEEDED"), "run " + run.status() + " " + run.error() + " " + run.cause());
            m = Monolith.run(files(stateDir, rows), keys(stateDir, rows), secret(), ctx.scratch("monolith"));
            chunkflowMs[i] = run.wall_ms();
            monolithMs[i] = m.wallMs();
            ratios[i] = (double) chunkflowMs[i] / monolithMs[i];
            ctx.say("pair %d/%d: chunkflow %,d ms (%d chunks, %s map), monolith %,d ms, ratio %.2f", i + 1, pairs,
                    run.wall_ms(), run.num_chunks(), run.map_mode(), m.wallMs(), ratios[i]);
        }
        double[] sequential = processChunkAlone(ctx, stateDir, run);
        ctx.say("ProcessChunk alone (one invocation at a time): %s ms", java.util.Arrays.toString(sequential));
        Long oversubscribedMs = null;
        if (!ctx.quick() && concurrency < OVERSUBSCRIBED) {
            ctx.say("for comparison: one chunkflow run with MaxConcurrency %d on these %d cores", OVERSUBSCRIBED, CORES);
            RunReport over = PipelineRun.execute(ctx.repoRoot(), stateDir, options(rows, OVERSUBSCRIBED, "bench-oversubscribed"), quiet);
            require(over.status().equals("SUCCEEDED"), "oversubscribed run " + over.status() + " " + over.error());
            oversubscribedMs = over.wall_ms();
        }
        double chunkflowMedian = Stats.median(java.util.Arrays.stream(chunkflowMs).asDoubleStream().toArray());
        double monolithMedian = Stats.median(java.util.Arrays.stream(monolithMs).asDoubleStream().toArray());
        double ratio = Stats.median(ratios);
        boolean agree = m.rowsIn() == run.rows_in() && m.rowsOut() == run.rows_out() && m.rowsRejected() == run.rows_rejected();

        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("rows", rows);
        json.put("chunks", run.num_chunks());
        json.put("map_mode", run.map_mode());
        json.put("concurrency", concurrency);
        json.put("chunkflow_wall_ms", (long) chunkflowMedian);
        json.put("monolith_wall_ms", (long) monolithMedian);
        ArrayNode pairList = json.putArray("pairs");
        for (int i = 0; i < pairs; i++) {
            pairList.addObject().put("chunkflow_ms", chunkflowMs[i]).put("monolith_ms", monolithMs[i])
                    .put("ratio", Stats.round(ratios[i], 3));
        }
        json.put("ratio", Stats.round(ratio, 3));
        if (oversubscribedMs != null) {
            json.putObject("oversubscribed").put("max_concurrency", OVERSUBSCRIBED).put("chunkflow_wall_ms", oversubscribedMs)
                    .put("ratio_to_monolith_median", Stats.round(oversubscribedMs / monolithMedian, 3));
        }
        json.put("chunkflow_rows_per_s", (long) (rows * 1000 / Math.max(1, chunkflowMedian)));
        json.put("monolith_rows_per_s", (long) (rows * 1000 / monolithMedian));
        json.put("outputs_agree", agree);
        ObjectNode counts = json.putObject("counts");
        counts.put("rows_in", run.rows_in()).put("rows_out", run.rows_out()).put("rows_rejected", run.rows_rejected())
                .put("monolith_rows_out", m.rowsOut()).put("monolith_rows_rejected", m.rowsRejected());
        json.set("functions", Json.MAPPER.valueToTree(run.functions()));
        json.set("aws_requests", Json.MAPPER.valueToTree(run.aws_requests()));
        json.put("history_events", run.history_events());
        ObjectNode alone = json.putObject("process_chunk_alone");
        alone.put("rows_per_chunk", run.rows_in() / Math.max(1, run.num_chunks()));
        alone.put("median_ms", (long) Stats.median(sequential));
        ArrayNode aloneSamples = alone.putArray("samples_ms");
        for (double v : sequential) {
            aloneSamples.add((long) v);
        }
        json.put("lambda_invocations", run.lambda_invocations());
        json.put("max_state_payload_bytes", run.max_state_payload_bytes());
        ArrayNode targets = json.putArray("targets");
        targets.add(BenchReport.target(String.format("chunkflow wall time <= 1.0x the monolith's (%,d rows, %d cores, median of %d "
                + "interleaved pairs' ratios)", rows, CORES, pairs), String.format("%.2fx (medians %,d ms vs %,d ms)", ratio,
                (long) chunkflowMedian, (long) monolithMedian), ratio <= 1.0));
        targets.add(BenchReport.target("same rows in/out/rejected as the monolith", agree ? "equal" : "DIFFERENT", agree));
        return new Result(json, markdown(json, run));
    }

    private static String markdown(ObjectNode j, RunReport run) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("`chunkflow run` (the real template, definition and handlers under the local engine, in-process S3 "
                + "and DynamoDB; %,d sample rows, %,d chunks, %s map, MaxConcurrency %d = this machine's cores) against a "
                + "single-threaded monolith doing the same transform (`VisitTransform`) in one pass over the same files read from "
                + "the local disk, writing its three outputs gzip to the local disk. After a warm-up run of each, %d interleaved "
                + "pairs (chunkflow, then the monolith); the figure is the median of the pairs' own ratios.%n%n",
                j.path("rows").asLong(), j.path("chunks").asLong(), j.path("map_mode").asText(), j.path("concurrency").asInt(),
                j.path("pairs").size()));
        b.append("| pair | chunkflow (ms) | monolith (ms) | ratio |\n|---:|---:|---:|---:|\n");
        int n = 1;
        for (JsonNode p : j.path("pairs")) {
            b.append(String.format("| %d | %,d | %,d | %.2fx |%n", n++, p.path("chunkflow_ms").asLong(), p.path("monolith_ms").asLong(),
                    p.path("ratio").asDouble()));
        }
        b.append(String.format("| **median** | %,d | %,d | **%.2fx** |%n%n", j.path("chunkflow_wall_ms").asLong(),
                j.path("monolith_wall_ms").asLong(), j.path("ratio").asDouble()));
        b.append(String.format("Rows/s (medians): chunkflow %,d, monolith %,d.%n%n", j.path("chunkflow_rows_per_s").asLong(),
                j.path("monolith_rows_per_s").asLong()));
        JsonNode over = j.path("oversubscribed");
        if (!over.isMissingNode()) {
            b.append(String.format("Why MaxConcurrency = cores: on Lambda each concurrent invocation has its own vCPUs; here they "
                    + "time-slice %d cores. One run with the template's default MaxConcurrency %d took %,d ms (%.2fx the "
                    + "monolith's median): ten working sets switching on two cores cost CPU caches and GC, work AWS never does.%n%n",
                    CORES, over.path("max_concurrency").asInt(), over.path("chunkflow_wall_ms").asLong(),
                    over.path("ratio_to_monolith_median").asDouble()));
        }
        b.append(String.format("Outputs agree (rows in / out / rejected): %s (%,d / %,d / %,d).%n%n", j.path("outputs_agree").asBoolean() ? "yes" : "**no**",
                run.rows_in(), run.rows_out(), run.rows_rejected()));
        b.append("Where chunkflow's time goes (billed duration per function, summed over invocations; in-process, so "
                + "the first invocation of each function includes its class loading):\n\n| function | memory (MB) | invocations | billed (ms) | max (ms) |\n|---|---:|---:|---:|---:|\n");
        run.functions().forEach((name, u) -> b.append(String.format("| %s | %,d | %,d | %,d | %,d |%n", name, u.memory_mb(),
                u.invocations(), u.billed_ms(), u.max_ms())));
        b.append("\nAWS requests made by the functions in this run: ");
        List<String> parts = new ArrayList<>();
        run.aws_requests().forEach((k, v) -> parts.add(String.format("%s %,d", k, v)));
        b.append(String.join(", ", parts)).append(".\n");
        return b.toString();
    }

    /**
     * ProcessChunk re-run on chunks of the measured job one at a time (it is idempotent): what one
     * invocation takes when it has the machine to itself, as each Lambda environment has its own vCPUs.
     * The run's own durations are stretched by {@code MaxConcurrency} invocations sharing the cores.
     */
    private static double[] processChunkAlone(BenchContext ctx, Path stateDir, RunReport run) throws Exception {
        int n = (int) Math.min(4, run.num_chunks());
        double[] ms = new double[n];
        try (dev.chunkflow.local.run.LocalApp app = dev.chunkflow.local.run.LocalApp.start(ctx.repoRoot(), stateDir,
                java.util.Map.of(), java.util.Map.of(), 0, 0, null)) {
            app.invoke("ProcessChunkFunction", Json.bytes(java.util.Map.of("job_id", run.job_id(), "chunk_id", 0))); // warm-up
            for (int i = 0; i < n; i++) {
                long t0 = System.nanoTime();
                app.invoke("ProcessChunkFunction", Json.bytes(java.util.Map.of("job_id", run.job_id(), "chunk_id", i)));
                ms[i] = (System.nanoTime() - t0) / 1e6;
            }
        }
        return ms;
    }

    private static PipelineRun.Options options(long rows, int concurrency, String jobId) {
        return new PipelineRun.Options(rows, SEED, null, null, null, concurrency, 10, 0, jobId + "-" + System.currentTimeMillis(),
                1.0, false);
    }

    /** The sample files as the file-backed S3 server keeps them, in S3 listing (key) order. */
    private static List<Path> files(Path stateDir, long rows) throws java.io.IOException {
        Path dir = stateDir.resolve("s3/chunkflow-data/" + prefix(rows));
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(Files::isRegularFile).sorted().toList();
        }
    }

    private static List<String> keys(Path stateDir, long rows) throws java.io.IOException {
        return files(stateDir, rows).stream().map(p -> prefix(rows) + p.getFileName()).toList();
    }

    private static String prefix(long rows) {
        return PipelineRun.samplePrefix(WorkloadNames.BUILT_IN_DEFAULT, rows, SEED);
    }

    private static byte[] secret() {
        return TokenSecret.LOCAL_DEFAULT.getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    private static void require(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("throughput: " + what);
        }
    }
}
