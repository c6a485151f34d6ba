package dev.chunkflow.local.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.aws.Env;
import dev.chunkflow.pipeline.plan.GetChunksOutput;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.local.run.LocalServices;
import dev.chunkflow.local.run.SampleData;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.testkit.EmbeddedS3;

/**
 * Section 4: the smallest {@code -Xmx} with which ProcessChunk handles one big chunk and GetChunks plans a
 * big data set, and the heap they use. The embedded S3 and DynamoDB run here (filesystem-backed, under
 * {@code bench/tmp/memory}); every probe is a fresh JVM ({@link MemoryProbe}) running the real handler
 * against them with a given {@code -Xmx}, the serial collector and {@code -XX:+ExitOnOutOfMemoryError}.
 * The smallest passing heap is found by galloping from the heap seen live at a generous size, then
 * bisecting to 16 MB (32 MB in a full run, where a GetChunks probe takes a minute).
 */
final class Memory implements BenchSection {
    /** Search granularity, set per run. */
    private int step = 16;
    /** The generous heaps: the functions' MemorySize in template.yaml. */
    static final int GET_CHUNKS_MEMORY_MB = 3008;
    static final int PROCESS_CHUNK_MEMORY_MB = 2048;
    private static final String GC_JOB = "bench-memory-getchunks";
    private static final String PC_JOB = "bench-memory-processchunk";
    private static final long MB = 1024 * 1024;

    @Override
    public String key() {
        return "memory";
    }

    @Override
    public String title() {
        return "4. Memory";
    }

    /** One child JVM run. */
    record Probe(int xmxMb, boolean ok, String failure, long elapsedMs, long peakHeapBytes, long maxAfterGcBytes, long gcs,
                 JsonNode response) {
        ObjectNode json() {
            ObjectNode o = Json.MAPPER.createObjectNode();
            o.put("xmx_mb", xmxMb);
            o.put("ok", ok);
            if (failure != null) {
                o.put("failure", failure);
            }
            o.put("elapsed_ms", elapsedMs);
            if (ok) {
                o.put("peak_heap_mb", mb(peakHeapBytes));
                o.put("max_after_gc_mb", mb(maxAfterGcBytes));
                o.put("gcs", gcs);
            }
            return o;
        }
    }

    /** The outcome of one search: the generous run, the smallest passing run and every probe in order. */
    record Search(Probe generous, Probe smallest, int largestFailingMb, List<Probe> probes) {
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        long gcRows = ctx.size(5_000_000, 500_000);
        long pcRows = ctx.size(500_000, 100_000);
        step = (int) ctx.size(32, 16);
        Path dir = ctx.scratch("memory");
        try (LocalServices services = LocalServices.start(dir.resolve("state"), EmbeddedAws.DEFAULT_BUCKET,
                EmbeddedAws.DEFAULT_TABLE, 0, 0)) {
            EmbeddedAws aws = services.aws();
            String bucket = aws.bucket();
            S3Io s3 = new S3Io(aws.s3());
            String gcPrefix = "bench/memory/getchunks/";
            String pcPrefix = "bench/memory/processchunk/";

            long t0 = System.nanoTime();
            ctx.say("memory: generating %,d + %,d rows", gcRows, pcRows);
            SampleData.generateTo(aws.s3(), bucket, gcPrefix, gcRows, 42);
            SampleData.generateTo(aws.s3(), bucket, pcPrefix, pcRows, 4242);
            long generateMs = (System.nanoTime() - t0) / 1_000_000;
            long gcSourceBytes = prefixBytes(s3, bucket, gcPrefix);
            long pcSourceBytes = prefixBytes(s3, bucket, pcPrefix);

            // ProcessChunk's input: the pc data set planned (here, in the bench JVM) into one chunk.
            GetChunksService planner = new GetChunksService(s3, bucket, new GetChunksService.Settings(
                    pcRows, 1000, 64L << 20, 256, dir.resolve("planner-spill"), 8));
            GetChunksOutput plan = planner.run(new GetChunksService.Request(PC_JOB, bucket, pcPrefix, pcRows));
            if (plan.numChunks() != 1) {
                throw new IllegalStateException("memory: the ProcessChunk data set planned into " + plan.numChunks()
                        + " chunks, expected 1");
            }
            JsonNode pcManifest = Json.MAPPER.readTree(s3.getBytes(bucket, RunLayout.manifestKey(PC_JOB)));
            JsonNode pcChunk = pcManifest.path("chunks").get(0);

            // ProcessChunk: every probe redoes the whole chunk, commit included (the result object is removed first).
            String pcRequest = Json.MAPPER.writeValueAsString(Map.of("job_id", PC_JOB, "chunk_id", 0));
            Search pc = search(ctx, dir, aws.env(), "process_chunk", pcRequest, PROCESS_CHUNK_MEMORY_MB,
                    () -> aws.s3().deleteObject(b -> b.bucket(bucket).key(RunLayout.resultKey(PC_JOB, 0))));

            // GetChunks: the same job id every time; a re-plan rewrites the same objects.
            String gcRequest = Json.MAPPER.writeValueAsString(Map.of("job_id", GC_JOB, "source", Map.of("prefix", gcPrefix)));
            Search gc = search(ctx, dir, aws.env(), "get_chunks", gcRequest, GET_CHUNKS_MEMORY_MB, () -> { });
            JsonNode gcManifest = Json.MAPPER.readTree(s3.getBytes(bucket, RunLayout.manifestKey(GC_JOB)));
            long gcKeys = 0;
            long gcDataBytes = 0;
            long largestChunkRows = 0;
            for (JsonNode c : gcManifest.path("chunks")) {
                gcKeys += c.path("keys").asLong();
                gcDataBytes += c.path("data_bytes").asLong();
                largestChunkRows = Math.max(largestChunkRows, c.path("rows").asLong());
            }
            int partitions = gcManifest.path("partitions").asInt();

            ObjectNode out = Json.MAPPER.createObjectNode();
            out.put("step_mb", step);
            out.put("collector", "serial");
            out.put("generate_ms", generateMs);

            ObjectNode pj = out.putObject("process_chunk");
            pj.put("rows", pcChunk.path("rows").asLong());
            pj.put("keys", pcChunk.path("keys").asLong());
            pj.put("data_bytes", pcChunk.path("data_bytes").asLong());
            pj.put("source_bytes", pcSourceBytes);
            fill(pj, pc, PROCESS_CHUNK_MEMORY_MB);
            pj.set("result", pc.generous().response());

            ObjectNode gj = out.putObject("get_chunks");
            gj.put("rows", gcManifest.path("total_rows").asLong());
            gj.put("keys", gcKeys);
            gj.put("source_bytes", gcSourceBytes);
            gj.put("data_bytes", gcDataBytes);
            gj.put("num_chunks", gcManifest.path("num_chunks").asInt());
            gj.put("partitions", partitions);
            gj.put("largest_chunk_rows", largestChunkRows);
            gj.put("key_index_bytes_estimate", keyIndexBytes(gcKeys));
            fill(gj, gc, GET_CHUNKS_MEMORY_MB);

            long gcMin = gc.smallest().xmxMb() * MB;
            long pcMin = pc.smallest().xmxMb() * MB;
            ArrayNode targets = out.putArray("targets");
            targets.add(BenchReport.target(String.format("GetChunks plans %,d rows with -Xmx below the data set (%s of CSV): rows are not held",
                            gcRows, human(gcSourceBytes)),
                    String.format("-Xmx%dm passes (%.2f x the data set, %.0f bytes a key)", gc.smallest().xmxMb(),
                            gcMin / (double) gcSourceBytes, gcMin / (double) Math.max(1, gcKeys)),
                    gcMin < gcSourceBytes));
            targets.add(BenchReport.target(String.format("ProcessChunk handles a %,d-row chunk within its %d MB function",
                            pcChunk.path("rows").asLong(), PROCESS_CHUNK_MEMORY_MB),
                    String.format("-Xmx%dm passes (%.2f x the chunk's CSV)", pc.smallest().xmxMb(), pcMin / (double) pcSourceBytes),
                    pc.smallest().xmxMb() < PROCESS_CHUNK_MEMORY_MB));
            return new Result(out, markdown(ctx, out, pc, gc));
        }
    }

    private static void fill(ObjectNode o, Search s, int generousMb) {
        o.put("min_xmx_mb", s.smallest().xmxMb());
        o.put("largest_failing_xmx_mb", s.largestFailingMb());
        o.put("elapsed_ms_at_min_xmx", s.smallest().elapsedMs());
        o.put("max_after_gc_mb_at_min_xmx", mb(s.smallest().maxAfterGcBytes()));
        o.put("generous_xmx_mb", generousMb);
        o.put("peak_heap_mb", mb(s.generous().peakHeapBytes()));
        o.put("max_after_gc_mb", mb(s.generous().maxAfterGcBytes()));
        o.put("elapsed_ms", s.generous().elapsedMs());
        ArrayNode probes = o.putArray("probes");
        s.probes().forEach(p -> probes.add(p.json()));
    }

    /** {@code LongIntMap} after the last growth: 64 power-of-two segments at most 60% full, 12 bytes a slot. */
    static long keyIndexBytes(long keys) {
        long perSegment = (keys + 63) / 64;
        long cap = 16;
        while (perSegment * 10 > cap * 6) {
            cap *= 2;
        }
        return 64 * cap * 12;
    }

    private Search search(BenchContext ctx, Path dir, Env env, String handler, String request, int generousMb,
                          Runnable before) throws Exception {
        List<Probe> probes = new ArrayList<>();
        TreeMap<Integer, Probe> tried = new TreeMap<>();
        before.run();
        Probe generous = probe(ctx, dir, env, handler, request, generousMb, TimeUnit.MINUTES.toMillis(15));
        probes.add(generous);
        if (!generous.ok()) {
            throw new IllegalStateException("memory: " + handler + " failed with -Xmx" + generousMb + "m: " + generous.failure());
        }
        long timeoutMs = Math.max(60_000, generous.elapsedMs() * 4 + 20_000);
        int hi = generousMb;
        Probe hiProbe = generous;
        int lo = 0;
        int x = clamp(roundUp(Math.max(generous.maxAfterGcBytes(), generous.peakHeapBytes() / 4) / MB * 5 / 4), hi - step);
        // Gallop from the guess until the boundary is bracketed, then bisect. Steps of 1/8 suit the guess, which is
        // usually within a quarter of the answer; each probe of a big data set costs tens of seconds.
        while (true) {
            before.run();
            Probe p = probe(ctx, dir, env, handler, request, x, timeoutMs);
            probes.add(p);
            tried.put(x, p);
            if (p.ok()) {
                hi = x;
                hiProbe = p;
                if (x <= step || lo > 0) {
                    break;
                }
                x = clamp(roundDown(x * 7 / 8), hi - step);
            } else {
                lo = x;
                if (hi < generousMb) {
                    break;
                }
                x = clamp(roundUp(x * 5 / 4), hi - step);
                if (x <= lo) {
                    break;
                }
            }
        }
        while (hi - lo > step) {
            int mid = roundDown((lo + hi) / 2);
            if (mid <= lo) {
                mid = lo + step;
            }
            before.run();
            Probe p = probe(ctx, dir, env, handler, request, mid, timeoutMs);
            probes.add(p);
            if (p.ok()) {
                hi = mid;
                hiProbe = p;
            } else {
                lo = mid;
            }
        }
        ctx.say("memory: %s smallest passing -Xmx%dm (fails at %dm), %d probes", handler, hi, lo, probes.size());
        return new Search(generous, hiProbe, lo, probes);
    }

    private int roundUp(long mb) {
        return (int) ((mb + step - 1) / step * step);
    }

    private int roundDown(long mb) {
        return (int) (mb / step * step);
    }

    private int clamp(int mb, int max) {
        return Math.max(step, Math.min(max, mb));
    }

    /** Runs {@link MemoryProbe} in a fresh JVM with {@code -Xmx<xmxMb>m}. */
    private Probe probe(BenchContext ctx, Path dir, Env env, String handler, String request, int xmxMb, long timeoutMs)
            throws IOException, InterruptedException {
        Path spill = dir.resolve("spill");
        Files.createDirectories(spill);
        Path stdout = dir.resolve("probe.out");
        Path stderr = dir.resolve("probe.err");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> cmd = List.of(java, "-Xmx" + xmxMb + "m", "-XX:+UseSerialGC", "-XX:+ExitOnOutOfMemoryError",
                "-Djava.io.tmpdir=" + spill, "-Daws.accessKeyId=" + EmbeddedS3.ACCESS_KEY,
                "-Daws.secretAccessKey=" + EmbeddedS3.SECRET_KEY, "-cp", ctx.cliJar().toString(),
                MemoryProbe.class.getName(), handler, request);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
        pb.environment().remove("JAVA_TOOL_OPTIONS");
        pb.environment().remove("_JAVA_OPTIONS");
        pb.environment().putAll(env.vars());
        long t0 = System.nanoTime();
        Process p = pb.start();
        boolean done = p.waitFor(timeoutMs, TimeUnit.MILLISECONDS);
        long wallMs = (System.nanoTime() - t0) / 1_000_000;
        Probe result;
        if (!done) {
            p.destroyForcibly().waitFor();
            result = new Probe(xmxMb, false, "timeout after " + timeoutMs / 1000 + " s (GC thrashing)", wallMs, 0, 0, 0, null);
        } else if (p.exitValue() == 0) {
            List<String> lines = Files.readAllLines(stdout, StandardCharsets.UTF_8);
            JsonNode r = Json.MAPPER.readTree(lines.get(lines.size() - 1));
            result = new Probe(xmxMb, true, null, r.path("elapsed_ms").asLong(), r.path("peak_heap_bytes").asLong(),
                    r.path("max_after_gc_bytes").asLong(), r.path("gcs").asLong(), r.path("response"));
        } else {
            // -XX:+ExitOnOutOfMemoryError: exit code 3, "Terminating due to java.lang.OutOfMemoryError" on the JVM's tty (stdout).
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            boolean oom = p.exitValue() == 3 && (err.contains("OutOfMemoryError")
                    || Files.readString(stdout, StandardCharsets.UTF_8).contains("OutOfMemoryError"));
            if (!oom) {
                throw new IllegalStateException("memory: " + handler + " probe with -Xmx" + xmxMb + "m exited with "
                        + p.exitValue() + ":\n" + tail(err, 3000));
            }
            result = new Probe(xmxMb, false, "OutOfMemoryError", wallMs, 0, 0, 0, null);
        }
        deleteTree(spill);
        ctx.say("memory: %s -Xmx%dm: %s in %.1f s%s", handler, xmxMb, result.ok() ? "ok" : result.failure(), wallMs / 1000.0,
                result.ok() ? String.format(", peak heap %d MB, max after GC %d MB", mb(result.peakHeapBytes()),
                        mb(result.maxAfterGcBytes())) : "");
        return result;
    }

    private static String tail(String s, int chars) {
        return s.length() <= chars ? s : s.substring(s.length() - chars);
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var walk = Files.walk(dir)) {
            walk.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    private static long prefixBytes(S3Io s3, String bucket, String prefix) {
        return s3.list(bucket, prefix).stream().mapToLong(o -> o.size()).sum();
    }

    static long mb(long bytes) {
        return Math.round(bytes / (double) MB);
    }

    static String human(long bytes) {
        return bytes >= 1L << 30 ? String.format("%.2f GiB", bytes / (double) (1L << 30)) : String.format("%d MB", mb(bytes));
    }

    private String markdown(BenchContext ctx, ObjectNode out, Search pc, Search gc) {
        JsonNode p = out.path("process_chunk");
        JsonNode g = out.path("get_chunks");
        StringBuilder b = new StringBuilder();
        b.append("Each probe is a fresh JVM running the real handler (as on Lambda, from its environment) against the\n");
        b.append("embedded S3/DynamoDB of the bench JVM, with `-XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError` and a given\n");
        b.append(String.format("`-Xmx`. The smallest passing `-Xmx` is searched to %d MB (galloping from the heap seen live at the\n", step));
        b.append("generous size, then bisecting); a probe fails on OutOfMemoryError or when it runs 4x longer than the\n");
        b.append("generous run (GC thrashing). *Peak heap* is the sum of the heap pools' peaks at the generous size (the\n");
        b.append("function's MemorySize; it includes garbage not yet collected); *max after GC* is the most heap still in\n");
        b.append("use right after a collection (close to the live set). The boundary can move by one step between runs\n");
        b.append("(GetChunks' eight upload threads make the heap at any moment timing-dependent).\n\n");
        b.append("| function | rows | keys | input | smallest -Xmx | fails at | max after GC at smallest | generous -Xmx | peak heap | max after GC | time |\n");
        b.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        row(b, "ProcessChunk (one chunk)", p, "chunk CSV " + human(p.path("data_bytes").asLong()));
        row(b, "GetChunks (whole data set)", g, "CSV " + human(g.path("source_bytes").asLong()));
        b.append('\n');
        long keys = g.path("keys").asLong();
        long rows = g.path("rows").asLong();
        int partitions = g.path("partitions").asInt();
        long gcMin = g.path("min_xmx_mb").asLong() * MB;
        long index = g.path("key_index_bytes_estimate").asLong();
        b.append("**Bounds.** *GetChunks* reads the source once and keeps, for the whole data set, only the key index: one\n");
        b.append("row count per well-formed `(visit_date, ssn)` packed in a `long`, in an open-addressing table at most 60%\n");
        b.append("full (12 bytes a slot: 20 to 40 bytes per key; 64 segments that double one at a time), then the sorted key codes\n");
        b.append("(8 bytes per key); malformed keys are objects (rare). Rows go to local scratch files, one per hash\n");
        b.append("partition (~64 MB of rows each). Partitions are then handled one at a time: a row's chunk is found from the\n");
        b.append("first key of each chunk (one small array), and the chunks' data objects (plain CSV) are built as the rows are read back,\n");
        b.append("plus at most 16 uploads in flight. So heap = O(keys) + O(rows of one partition) + fixed buffers\n");
        b.append("(spill writers, S3 read buffers), never the rows. The index is O(keys), though, and a key is\n");
        b.append("`(visit_date, ssn)`: with few visits per patient per day, keys are close to rows, so GetChunks' heap still\n");
        b.append("grows with the data set, at a fraction of its size.\n");
        b.append(String.format("Here: %,d rows, %,d keys (%.2f rows a key), %d partition(s) of ~%,d rows, %d chunks. The key table\n",
                rows, keys, rows / (double) Math.max(1, keys), partitions, rows / Math.max(1, partitions), g.path("num_chunks").asInt()));
        b.append(String.format("is %s (+ %s of sorted codes); the smallest passing heap, %d MB, is %.0f bytes per key, %.0f bytes per row\n",
                human(index), human(keys * 8), g.path("min_xmx_mb").asInt(), gcMin / (double) keys, gcMin / (double) rows));
        b.append(String.format("and %.0f%% of the %s CSV data set. At that rate (the whole heap counted per key) the %d MB function\n",
                100.0 * gcMin / g.path("source_bytes").asLong(), human(g.path("source_bytes").asLong()), GET_CHUNKS_MEMORY_MB));
        b.append(String.format("plans about %,d million keys in one invocation.\n\n",
                Math.round(GET_CHUNKS_MEMORY_MB * (double) MB / (gcMin / (double) keys) / 1e6)));
        long pRows = p.path("rows").asLong();
        long pKeys = p.path("keys").asLong();
        long pcMin = p.path("min_xmx_mb").asLong() * MB;
        b.append("*ProcessChunk* holds one chunk, never the data set: the chunk's key set (a `Key` and two counters per\n");
        b.append("key, to check the rows against it), the latest version of each visit (an object with its fields, for the\n");
        b.append("de-duplication and the ordered output), the rejects, then the daily aggregates and the gzipped outputs.\n");
        b.append("So heap = O(rows of the chunk + keys of the chunk), and a chunk is at most `target_rows_per_chunk` plus one\n");
        b.append("key's rows: the planner's target bounds ProcessChunk's memory.\n");
        b.append(String.format("Here: one chunk of %,d rows and %,d keys; the smallest passing heap, %d MB, is %.0f bytes per row\n",
                pRows, pKeys, p.path("min_xmx_mb").asInt(), pcMin / (double) pRows));
        b.append(String.format("(the chunk's data object is %s of CSV, %s as source CSV).\n", human(p.path("data_bytes").asLong()),
                human(p.path("source_bytes").asLong())));
        return b.toString();
    }

    private static void row(StringBuilder b, String name, JsonNode j, String input) {
        b.append(String.format("| %s | %,d | %,d | %s | %d MB | %s | %d MB | %d MB | %d MB | %d MB | %.1f s |%n", name,
                j.path("rows").asLong(), j.path("keys").asLong(), input, j.path("min_xmx_mb").asInt(),
                j.path("largest_failing_xmx_mb").asInt() > 0 ? j.path("largest_failing_xmx_mb").asInt() + " MB" : "-",
                j.path("max_after_gc_mb_at_min_xmx").asLong(), j.path("generous_xmx_mb").asInt(), j.path("peak_heap_mb").asLong(),
                j.path("max_after_gc_mb").asLong(), j.path("elapsed_ms").asLong() / 1000.0));
    }
}
