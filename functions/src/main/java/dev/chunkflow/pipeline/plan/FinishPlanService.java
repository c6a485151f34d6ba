package dev.chunkflow.pipeline.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.IntFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * The fan-out's two small steps, each reading only numbers.
 * <ul>
 *   <li>{@link #collect} (after the split map): every split's result -> each split's first line in its
 *   object (prefix sums of the lines of the object's earlier splits), rows per partition and per source
 *   ({@code shuffled.json}), and the non-empty partitions (the partition map's items).</li>
 *   <li>{@link #number} (after the partition map): every partition's chunks -> global chunk ids in
 *   partition order (prefix sums of the chunk counts, as one GetChunks invocation numbers them),
 *   {@code ids.json}, then the manifest, last, as GetChunks writes them; returns GetChunks' output.</li>
 * </ul>
 * Both check that rows are conserved ({@link ShuffleIncomplete} if not).
 */
public final class FinishPlanService {
    private static final int FETCH_THREADS = 32;

    private final S3Io s3;
    private final String dataBucket;
    private final int inlineMapMaxChunks;

    public FinishPlanService(S3Io s3, String dataBucket, int inlineMapMaxChunks) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.inlineMapMaxChunks = inlineMapMaxChunks;
    }

    /** @return {@code {job_id, partitions_key, num_partitions, total_rows}} */
    public Map<String, Object> collect(String jobId) {
        FanOutPlan plan = FanOutPlan.read(s3, dataBucket, jobId);
        List<JsonNode> splits = readAll(plan.numSplits(), i -> RunLayout.splitResultKey(jobId, i), "split");
        long[] lineOffsets = new long[plan.numSplits()];
        long[] partitionRows = new long[plan.partitions()];
        long[] sourceRows = new long[plan.numSources()];
        long linesBefore = 0;
        int previousSource = -1;
        for (int i = 0; i < splits.size(); i++) {
            JsonNode r = splits.get(i);
            String key = RunLayout.splitResultKey(jobId, i);
            int source = r.path("source_index").asInt(-1);
            if (r.path("split").asInt(-1) != i || source < 0 || source >= plan.numSources()) {
                throw new ShuffleIncomplete(key + " is not the result of split " + i);
            }
            if (source != previousSource) {
                linesBefore = 0;
                previousSource = source;
            }
            lineOffsets[i] = linesBefore;
            linesBefore += Math.max(0, r.path("lines").asLong());
            long rows = r.path("rows").asLong();
            long inPartitions = 0;
            for (JsonNode p : r.path("partitions")) {
                int partition = p.path(0).asInt(-1);
                if (partition < 0 || partition >= plan.partitions()) {
                    throw new ShuffleIncomplete(key + " names partition " + partition + " of " + plan.partitions());
                }
                partitionRows[partition] += p.path(1).asLong();
                inPartitions += p.path(1).asLong();
            }
            if (inPartitions != rows) {
                throw new ShuffleIncomplete(key + ": " + rows + " rows read, " + inPartitions + " written to partitions");
            }
            sourceRows[source] += rows;
        }
        Shuffled shuffled = new Shuffled(lineOffsets, partitionRows, sourceRows);
        List<Integer> nonEmpty = new ArrayList<>();
        for (int p = 0; p < partitionRows.length; p++) {
            if (partitionRows[p] > 0) {
                nonEmpty.add(p);
            }
        }
        s3.put(dataBucket, RunLayout.shuffledKey(jobId), shuffled.toJson(), "application/json");
        s3.put(dataBucket, RunLayout.partitionsKey(jobId), Json.bytes(nonEmpty), "application/json");
        Log.info("shuffle collected", "job_id", jobId, "splits", plan.numSplits(), "partitions", nonEmpty.size(),
                "total_rows", shuffled.totalRows());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", jobId);
        out.put("partitions_key", RunLayout.partitionsKey(jobId));
        out.put("num_partitions", nonEmpty.size());
        out.put("total_rows", shuffled.totalRows());
        return out;
    }

    /** @return GetChunks' output for the plan ({@link GetChunksOutput#toMap()}) */
    public Map<String, Object> number(String jobId) {
        FanOutPlan plan = FanOutPlan.read(s3, dataBucket, jobId);
        Shuffled shuffled = Shuffled.read(s3, dataBucket, jobId, plan);
        List<Integer> nonEmpty = new ArrayList<>();
        for (int p = 0; p < plan.partitions(); p++) {
            if (shuffled.partitionRows(p) > 0) {
                nonEmpty.add(p);
            }
        }
        List<JsonNode> results = readAll(nonEmpty.size(), i -> RunLayout.partitionResultKey(jobId, nonEmpty.get(i)), "partition");
        int[] firstChunk = new int[plan.partitions()];
        List<Manifest.Chunk> chunks = new ArrayList<>();
        int next = 0;
        int r = 0;
        for (int p = 0; p < plan.partitions(); p++) {
            firstChunk[p] = next;
            if (shuffled.partitionRows(p) == 0) {
                continue;
            }
            JsonNode result = results.get(r++);
            String key = RunLayout.partitionResultKey(jobId, p);
            if (result.path("partition").asInt(-1) != p) {
                throw new ShuffleIncomplete(key + " is not the result of partition " + p);
            }
            long rows = 0;
            int local = 0;
            for (JsonNode c : result.path("chunks")) {
                if (c.path(0).asInt(-1) != local++) {
                    throw new ShuffleIncomplete(key + ": chunks are not numbered 0.." + (result.path("chunks").size() - 1));
                }
                chunks.add(new Manifest.Chunk(next++, c.path(1).asInt(), c.path(2).asLong(), c.path(3).asLong()));
                rows += c.path(2).asLong();
            }
            if (rows != shuffled.partitionRows(p)) {
                throw new ShuffleIncomplete("partition " + p + ": the splits wrote " + shuffled.partitionRows(p)
                        + " rows to it, its chunks hold " + rows);
            }
        }
        List<Manifest.Source> sources = new ArrayList<>();
        JsonNode listed;
        try {
            listed = Json.readTree(s3.getBytes(dataBucket, RunLayout.fanOutSourcesKey(jobId)));
        } catch (NoSuchKeyException | dev.chunkflow.common.InvalidInput e) {
            throw new ShuffleIncomplete(RunLayout.fanOutSourcesKey(jobId) + " is missing or not JSON");
        }
        if (!listed.isArray() || listed.size() != plan.numSources()) {
            throw new ShuffleIncomplete(RunLayout.fanOutSourcesKey(jobId) + " does not list the plan's " + plan.numSources() + " sources");
        }
        for (int i = 0; i < listed.size(); i++) {
            JsonNode o = listed.get(i);
            sources.add(new Manifest.Source(o.path("key").asText(), o.path("etag").asText(), o.path("size").asLong(),
                    shuffled.sourceRows()[i]));
        }
        long totalRows = shuffled.totalRows();
        Manifest manifest = new Manifest(jobId, plan.workload(), chunks.size(), totalRows, plan.targetRows(), plan.partitions(),
                plan.bucket(), plan.prefix(), sources, chunks, firstChunk);
        s3.put(dataBucket, RunLayout.idsKey(jobId), GetChunksService.idsJson(chunks.size()), "application/json");
        // The manifest goes last: its presence tells workers the plan is complete.
        s3.put(dataBucket, RunLayout.manifestKey(jobId), manifest.toJson(), "application/json");
        Log.info("chunks planned", "job_id", jobId, "workload", plan.workload(), "sources", sources.size(),
                "total_rows", totalRows, "num_chunks", chunks.size(), "partitions", plan.partitions(), "path", "fan-out");
        return GetChunksOutput.of(jobId, chunks.size(), totalRows, inlineMapMaxChunks).toMap();
    }

    private List<JsonNode> readAll(int n, IntFunction<String> keyOf, String what) {
        ExecutorService pool = Executors.newFixedThreadPool(FETCH_THREADS, run -> {
            Thread t = new Thread(run, "chunkflow-fanout-results");
            t.setDaemon(true);
            return t;
        });
        try {
            List<Future<JsonNode>> futures = new ArrayList<>(n);
            for (int i = 0; i < n; i++) {
                String key = keyOf.apply(i);
                futures.add(pool.submit(() -> {
                    try {
                        return Json.readTree(s3.getBytes(dataBucket, key));
                    } catch (NoSuchKeyException e) {
                        throw new ShuffleIncomplete("the " + what + " result " + key + " is missing");
                    } catch (dev.chunkflow.common.InvalidInput e) {
                        throw new ShuffleIncomplete("the " + what + " result " + key + " is not JSON");
                    }
                }));
            }
            List<JsonNode> out = new ArrayList<>(n);
            for (Future<JsonNode> f : futures) {
                out.add(f.get());
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ShuffleIncomplete("interrupted while reading " + what + " results");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException re) {
                throw re; // S3 errors keep their SDK names (the retriers name them)
            }
            throw new ShuffleIncomplete("cannot read a " + what + " result: " + e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }
}
