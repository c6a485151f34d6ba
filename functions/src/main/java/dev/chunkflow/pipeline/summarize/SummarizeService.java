package dev.chunkflow.pipeline.summarize;

import dev.chunkflow.pipeline.process.ChunkResult;
import dev.chunkflow.pipeline.process.JobProgress;
import dev.chunkflow.pipeline.process.RowCounts;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.core.JsonProcessingException;

import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.workload.RunTotals;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Closes a run: reads every chunk result from S3 (never from the state payload), checks that the run is
 * complete and that the counts add up, writes {@code summary.json} and {@code report.html}, appends the
 * run's execution steps to the job, and writes {@code _SUCCESS} last. Any gap fails with
 * {@link RunIncomplete} before {@code _SUCCESS}. Summary and report contain no timestamps, so a rerun on
 * the same data writes identical bytes.
 */
public final class SummarizeService {
    /** Result objects fetched in parallel (100,000 small GETs must fit well inside the Lambda timeout). */
    static final int FETCH_THREADS = 32;

    private final S3Io s3;
    private final String bucket;
    private final JobProgress progress;
    private final Workloads workloads;

    public SummarizeService(S3Io s3, String bucket, JobProgress progress) {
        this(s3, bucket, progress, Workloads.installed());
    }

    public SummarizeService(S3Io s3, String bucket, JobProgress progress, Workloads workloads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.progress = progress;
        this.workloads = workloads;
    }

    /** The task's result: where the summary went and the run's counts. */
    public record Response(@JsonProperty("job_id") String jobId, @JsonProperty("summary_key") String summaryKey,
                           @JsonProperty("report_key") String reportKey, @JsonProperty("success_key") String successKey,
                           @JsonProperty("num_chunks") int numChunks, @JsonUnwrapped RowCounts rows) {
    }

    public Response run(String jobId) {
        long started = System.nanoTime();
        Manifest manifest;
        try {
            manifest = Manifest.read(s3, bucket, RunLayout.manifestKey(jobId));
        } catch (NoSuchKeyException e) {
            throw new InvalidInput("job_id", "job " + jobId + " has no " + RunLayout.manifestKey(jobId));
        }
        Workload workload = WorkloadNames.require(workloads, manifest.workload(), "workload");
        ChunkResult[] results = readResults(jobId, manifest.numChunks());
        Totals totals = check(jobId, manifest, results);
        Map<String, Object> workloadSummary = workload.summarize(new RunTotals(totals.rows.rowsIn(), totals.rows.rowsOut(),
                totals.rows.rowsRejected(), totals.rows.duplicatesDropped(), totals.keys, totals.counters,
                totals.rejectReasons));

        Map<String, Object> summary = summary(jobId, workload, manifest, totals, workloadSummary);
        String summaryKey = RunLayout.summaryKey(jobId);
        String reportKey = RunLayout.reportKey(jobId);
        String successKey = RunLayout.successKey(jobId);
        s3.put(bucket, summaryKey, prettyJson(summary), "application/json");
        s3.put(bucket, reportKey, ReportPage.html(jobId, manifest, results, totals, workloadSummary).getBytes(StandardCharsets.UTF_8),
                "text/html; charset=utf-8");
        // The per-chunk results are authoritative: the live counters ProcessChunk ADDs are progress, and
        // an invocation that dies between its result and its ADD (then retried) leaves them short.
        Map<String, Object> finalCounters = new LinkedHashMap<>();
        finalCounters.put("num_chunks", (long) manifest.numChunks());
        finalCounters.put("chunks_done", (long) results.length);
        finalCounters.putAll(totals.rows.asMap());
        progress.finish(jobId, steps(jobId, manifest, results, totals, summaryKey, reportKey, successKey), finalCounters);
        s3.put(bucket, successKey, new byte[0], "application/octet-stream");

        Log.info("run summarized", "job_id", jobId, "workload", workload.name(), "num_chunks", manifest.numChunks(),
                "rows_in", totals.rows.rowsIn(), "rows_out", totals.rows.rowsOut(), "ms", (System.nanoTime() - started) / 1_000_000);
        return new Response(jobId, summaryKey, reportKey, successKey, manifest.numChunks(), totals.rows);
    }

    /**
     * The chunks of the manifest without a result yet, after a Distributed Map pass whose batches may have
     * stopped at their deadline: written as a JSON array to {@link RunLayout#unprocessedIdsKey} (the next
     * pass's ItemReader) when there are any. {@code {job_id, unprocessed, ids_key}}.
     */
    public Map<String, Object> unprocessed(String jobId, int pass) {
        Manifest manifest;
        try {
            manifest = Manifest.readHead(s3, bucket, RunLayout.manifestKey(jobId));
        } catch (NoSuchKeyException e) {
            throw new InvalidInput("job_id", "job " + jobId + " has no " + RunLayout.manifestKey(jobId));
        }
        String prefix = RunLayout.resultsPrefix(jobId);
        boolean[] done = new boolean[manifest.numChunks()];
        for (S3Object o : s3.list(bucket, prefix)) {
            String name = o.key().substring(prefix.length());
            if (name.matches("[0-9]{1,9}\\.json")) {
                int id = Integer.parseInt(name.substring(0, name.length() - 5));
                if (id < done.length) {
                    done[id] = true;
                }
            }
        }
        StringBuilder ids = new StringBuilder("[");
        int missing = 0;
        for (int i = 0; i < done.length; i++) {
            if (!done[i]) {
                ids.append(missing++ == 0 ? "" : ",").append(i);
            }
        }
        String key = RunLayout.unprocessedIdsKey(jobId, pass);
        if (missing > 0) {
            s3.put(bucket, key, ids.append(']').toString().getBytes(StandardCharsets.UTF_8), "application/json");
        }
        Log.info("unprocessed chunks", "job_id", jobId, "pass", pass, "unprocessed", missing, "num_chunks", done.length);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", jobId);
        out.put("unprocessed", missing);
        out.put("ids_key", key);
        return out;
    }

    private ChunkResult[] readResults(String jobId, int numChunks) {
        String prefix = RunLayout.resultsPrefix(jobId);
        List<S3Object> listed = s3.list(bucket, prefix);
        ChunkResult[] results = new ChunkResult[numChunks];
        List<Integer> foreign = new ArrayList<>();
        List<String> keys = new ArrayList<>();
        List<Integer> ids = new ArrayList<>();
        for (S3Object o : listed) {
            String name = o.key().substring(prefix.length());
            if (!name.matches("[0-9]{1,9}\\.json")) {
                continue;
            }
            int id = Integer.parseInt(name.substring(0, name.length() - 5));
            if (id >= numChunks) {
                foreign.add(id);
            } else {
                keys.add(o.key());
                ids.add(id);
            }
        }
        if (!foreign.isEmpty()) {
            throw new RunIncomplete("job " + jobId + ": " + foreign.size() + " result(s) under " + prefix
                    + " are for chunks outside the manifest (" + numChunks + " chunks), e.g. " + first(foreign));
        }
        ExecutorService pool = Executors.newFixedThreadPool(FETCH_THREADS, r -> {
            Thread t = new Thread(r, "chunkflow-results");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<ChunkResult>> futures = new ArrayList<>(keys.size());
            for (String key : keys) {
                futures.add(pool.submit(() -> Json.MAPPER.readValue(s3.getBytes(bucket, key), ChunkResult.class)));
            }
            for (int i = 0; i < futures.size(); i++) {
                ChunkResult r = futures.get(i).get();
                if (r.chunkId() != ids.get(i) || !jobId.equals(r.jobId())) {
                    throw new RunIncomplete("job " + jobId + ": " + keys.get(i) + " is the result of another chunk or job");
                }
                results[r.chunkId()] = r;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading chunk results", e);
        } catch (java.util.concurrent.ExecutionException e) {
            if (e.getCause() instanceof com.fasterxml.jackson.core.JsonProcessingException bad) {
                throw new RunIncomplete("job " + jobId + ": a chunk result under " + prefix + " is not a result: "
                        + bad.getOriginalMessage());
            }
            if (e.getCause() instanceof RuntimeException r) {
                throw r; // S3 errors keep their SDK names (the retriers name them)
            }
            throw new IllegalStateException("cannot read a chunk result: " + e.getCause().getMessage(), e.getCause());
        } finally {
            pool.shutdownNow();
        }
        List<Integer> missing = new ArrayList<>();
        for (int i = 0; i < numChunks; i++) {
            if (results[i] == null) {
                missing.add(i);
            }
        }
        if (!missing.isEmpty()) {
            throw new RunIncomplete("job " + jobId + ": " + missing.size() + " of " + numChunks
                    + " chunk results are missing under " + prefix + ", e.g. chunks " + first(missing));
        }
        return results;
    }

    private static String first(List<Integer> ids) {
        return ids.subList(0, Math.min(10, ids.size())).toString();
    }

    /** The run's totals, after checking every chunk against the manifest and row conservation. */
    static final class Totals {
        RowCounts rows = RowCounts.ZERO;
        long keys;
        long outputBytes;
        final Map<String, Long> counters = new TreeMap<>();
        final Map<String, Long> rejectReasons = new TreeMap<>();
        long minChunkRows = Long.MAX_VALUE;
        long maxChunkRows;
        long medianChunkRows;
    }

    private static Totals check(String jobId, Manifest manifest, ChunkResult[] results) {
        Totals t = new Totals();
        long[] sizes = new long[results.length];
        for (int i = 0; i < results.length; i++) {
            ChunkResult r = results[i];
            Manifest.Chunk planned = manifest.chunks().get(i);
            if (planned.chunkId() != i || planned.rows() != r.rows().rowsIn()) {
                throw new RunIncomplete("job " + jobId + " chunk " + i + ": planned " + planned.rows() + " rows, result says "
                        + r.rows().rowsIn());
            }
            if (!r.rows().conserved()) {
                throw new RunIncomplete("job " + jobId + " chunk " + i + ": " + r.rows() + " does not hold");
            }
            t.rows = t.rows.plus(r.rows());
            t.keys += r.keys();
            t.outputBytes += r.outputBytes();
            r.counters().forEach((k, v) -> t.counters.merge(k, v, Long::sum));
            r.rejectReasons().forEach((k, v) -> t.rejectReasons.merge(k, v, Long::sum));
            sizes[i] = r.rows().rowsIn();
        }
        if (t.rows.rowsIn() != manifest.totalRows()) {
            throw new RunIncomplete("job " + jobId + ": the chunks read " + t.rows.rowsIn() + " rows, the manifest planned "
                    + manifest.totalRows());
        }
        if (sizes.length > 0) {
            Arrays.sort(sizes);
            t.minChunkRows = sizes[0];
            t.maxChunkRows = sizes[sizes.length - 1];
            t.medianChunkRows = sizes[sizes.length / 2];
        } else {
            t.minChunkRows = 0;
        }
        return t;
    }

    private static Map<String, Object> summary(String jobId, Workload workload, Manifest manifest, Totals t,
                                               Map<String, Object> workloadSummary) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("job_id", jobId);
        s.put("workload", workload.name());
        s.put("source", Map.of("bucket", manifest.bucket(), "prefix", manifest.prefix()));
        List<Map<String, Object>> sources = new ArrayList<>();
        for (Manifest.Source src : manifest.sources()) {
            sources.add(Map.of("key", src.key(), "etag", src.etag(), "rows", src.rows(), "size", src.size()));
        }
        s.put("sources", sources);
        s.put("num_chunks", manifest.numChunks());
        s.put("target_rows_per_chunk", manifest.targetRowsPerChunk());
        s.putAll(t.rows.asMap());
        s.put("keys", t.keys);
        s.put("reject_reasons", t.rejectReasons);
        s.put("chunk_rows", Map.of("min", t.minChunkRows, "median", t.medianChunkRows, "max", t.maxChunkRows));
        s.put("output_bytes", t.outputBytes);
        Map<String, String> outputs = new LinkedHashMap<>();
        for (String part : workload.parts()) {
            outputs.put(part, RunLayout.partPrefix(jobId, part));
        }
        outputs.put(Workloads.REJECTS_PART, RunLayout.partPrefix(jobId, Workloads.REJECTS_PART));
        s.put("outputs", outputs);
        workloadSummary.forEach(s::putIfAbsent);
        return s;
    }

    /** One step per phase; ProcessChunks carries the per-chunk table (large for big runs: the job store offloads it). */
    private static List<Map<String, Object>> steps(String jobId, Manifest manifest, ChunkResult[] results, Totals t,
                                                   String summaryKey, String reportKey, String successKey) {
        Map<String, Object> plan = new LinkedHashMap<>();
        plan.put("name", "GetChunks");
        plan.put("status", "SUCCEEDED");
        plan.put("output", Map.of("num_chunks", (long) manifest.numChunks(), "total_rows", manifest.totalRows(),
                "sources", (long) manifest.sources().size(), "manifest_key", RunLayout.manifestKey(jobId)));

        List<Object> table = new ArrayList<>(results.length);
        for (ChunkResult r : results) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("chunk_id", (long) r.chunkId());
            row.putAll(r.rows().asMap());
            table.add(row);
        }
        Map<String, Object> process = new LinkedHashMap<>();
        process.put("name", "ProcessChunks");
        process.put("status", "SUCCEEDED");
        Map<String, Object> processOut = new LinkedHashMap<>();
        processOut.put("chunks_done", (long) results.length);
        processOut.putAll(t.rows.asMap());
        processOut.put("chunks", table);
        process.put("output", processOut);

        Map<String, Object> summarize = new LinkedHashMap<>();
        summarize.put("name", "Summarize");
        summarize.put("status", "SUCCEEDED");
        summarize.put("output", Map.of("summary_key", summaryKey, "report_key", reportKey, "success_key", successKey));
        return List.of(plan, process, summarize);
    }

    private static byte[] prettyJson(Object value) {
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
