package dev.chunkflow.pipeline.process;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.ChunkDataFormat;
import dev.chunkflow.pipeline.plan.Key;
import dev.chunkflow.pipeline.plan.KeySetFile;
import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.pipeline.source.KeyValues;
import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkOutput;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.SourceRecord;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.RecordRejected;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Processes one chunk: loads its key set and records from S3, checks that they agree, feeds the records
 * to the run's workload, writes the workload's parts and the {@code rejects} part, then commits the
 * chunk result.
 *
 * <p>Idempotency: outputs are byte-identical on a retry (fixed order, fixed gzip header), so
 * overwriting them is harmless. The job counters are added before the result object is created, once
 * per chunk ({@link dev.chunkflow.jobs.ChunkCounters}: the ADD is conditional on a per-chunk marker it
 * sets), so a crash or a timeout anywhere in between neither loses nor doubles them; an existing
 * result means they were added. Summarize still recomputes the totals from the result objects.
 */
public final class ProcessChunkService {
    static final int OUTPUT_GZIP_LEVEL = Deflater.DEFAULT_COMPRESSION;
    /** Reject reasons the machinery gives before a workload sees the record. */
    public static final String INVALID_UTF8 = "invalid_utf8";
    public static final String BAD_JSON = "bad_json";
    /** A workload's {@code accept} threw something other than {@link RecordRejected}. */
    public static final String WORKLOAD_ERROR = "workload_error";

    /** What one chunk did; the handler returns its counts only. */
    public record Outcome(int chunkId, RowCounts rows, boolean counted) {
    }

    private final S3Io s3;
    private final String bucket;
    private final Supplier<byte[]> secret;
    private final JobProgress progress;
    private final Workloads workloads;

    public ProcessChunkService(S3Io s3, String bucket, Supplier<byte[]> secret, JobProgress progress) {
        this(s3, bucket, secret, progress, Workloads.installed());
    }

    public ProcessChunkService(S3Io s3, String bucket, Supplier<byte[]> secret, JobProgress progress, Workloads workloads) {
        this.s3 = s3;
        this.bucket = bucket;
        this.secret = secret;
        this.progress = progress;
        this.workloads = workloads;
    }

    /** The manifest's head (workload, sources, num_chunks); InvalidInput when the job has no plan. */
    public Manifest manifestHead(String jobId) {
        try {
            return Manifest.readHead(s3, bucket, RunLayout.manifestKey(jobId));
        } catch (NoSuchKeyException e) {
            throw new InvalidInput("job_id", "job " + jobId + " has no " + RunLayout.manifestKey(jobId)
                    + " (GetChunks has not completed for it)");
        }
    }

    public Outcome process(String jobId, int chunkId, Manifest head) {
        if (chunkId < 0 || chunkId >= head.numChunks()) {
            throw new InvalidInput("chunk_id", chunkId + " is outside the manifest of job " + jobId + " ("
                    + head.numChunks() + " chunks: 0.." + (head.numChunks() - 1) + ")");
        }
        long started = System.nanoTime();
        Workload workload = WorkloadNames.require(workloads, head.workload(), "workload");
        String failure = "job " + jobId + " chunk " + chunkId + ": workload " + workload.name();
        Map<Key, long[]> keySet = readKeySet(jobId, chunkId, workload.key().parts().size());
        ChunkProcessor processor;
        try {
            processor = workload.newChunkProcessor(new ChunkContext(jobId, chunkId, secret));
        } catch (RuntimeException e) {
            throw new WorkloadFailed(failure + " could not start a chunk: " + e.getClass().getName());
        }
        Rejects rejects = new Rejects();
        long rowsRead = readRows(jobId, chunkId, head, workload, keySet, processor, rejects);
        verify(jobId, chunkId, keySet, rowsRead);
        int keys = keySet.size();
        keySet = null; // checked: not needed while the workload finishes and its parts are written

        ChunkOutput output;
        try {
            output = processor.finish();
        } catch (RuntimeException e) {
            throw new WorkloadFailed(failure + " failed to finish the chunk: " + e.getClass().getName());
        }
        RowCounts counts = new RowCounts(rowsRead, output.rowsOut(), rejects.size(), output.duplicatesDropped());
        if (!counts.conserved()) {
            throw new WorkloadFailed(failure + ": counts do not add up (" + counts + ")");
        }
        if (!output.parts().keySet().equals(new java.util.LinkedHashSet<>(workload.parts()))) {
            throw new WorkloadFailed(failure + " wrote parts " + output.parts().keySet() + ", it declares " + workload.parts());
        }
        // Every part is built before the first PUT: a part writer that throws leaves nothing of the chunk behind.
        Map<String, byte[]> bodies = new LinkedHashMap<>();
        for (String part : workload.parts()) {
            try {
                bodies.put(part, gzip(output.parts().get(part)));
            } catch (IOException | RuntimeException e) {
                throw new WorkloadFailed(failure + " failed to write part " + part + ": " + e.getClass().getName());
            }
        }
        try {
            bodies.put(Workloads.REJECTS_PART, gzip(rejects::write));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, ChunkResult.PartFile> parts = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : bodies.entrySet()) {
            String key = RunLayout.partKey(jobId, e.getKey(), chunkId);
            s3.put(bucket, key, e.getValue(), "application/gzip");
            parts.put(e.getKey(), new ChunkResult.PartFile(key, e.getValue().length));
        }

        ChunkResult chunkResult = new ChunkResult(jobId, chunkId, workload.name(), keys, counts, output.counters(),
                rejects.reasons(), parts);
        byte[] resultJson = Json.bytes(chunkResult);
        String resultKey = RunLayout.resultKey(jobId, chunkId);
        // The counters are added before the result exists, so an existing result means they were added.
        byte[] existing = s3.getBytesIfExists(bucket, resultKey);
        boolean counted = false;
        if (existing == null) {
            Map<String, Long> deltas = new LinkedHashMap<>();
            deltas.put("chunks_done", 1L);
            deltas.putAll(counts.asMap());
            counted = progress.addChunkCountersOnce(jobId, chunkId, deltas);
            s3.putIfAbsent(bucket, resultKey, resultJson, "application/json");
            progress.chunkCounted(jobId, chunkId);
        } else if (!Arrays.equals(existing, resultJson)) {
            // Only possible if the chunk's inputs changed since the first attempt (a re-plan under the same
            // job id): keep the result in step with the outputs just written; counters stay as they are.
            Log.warn("chunk result differs from an earlier attempt; replacing it", "job_id", jobId, "chunk_id", chunkId);
            s3.put(bucket, resultKey, resultJson, "application/json");
        }
        Log.info("chunk processed", "job_id", jobId, "chunk_id", chunkId, "workload", workload.name(),
                "rows_in", counts.rowsIn(), "rows_out", counts.rowsOut(), "rows_rejected", counts.rowsRejected(),
                "duplicates_dropped", counts.duplicatesDropped(), "counted", counted,
                "ms", (System.nanoTime() - started) / 1_000_000);
        return new Outcome(chunkId, counts, counted);
    }

    /** Key -> {rows the key set promises, rows seen}. */
    private Map<Key, long[]> readKeySet(String jobId, int chunkId, int keyParts) {
        String key = RunLayout.keysKey(jobId, chunkId);
        try (InputStream in = new GZIPInputStream(s3.open(bucket, key), 64 * 1024)) {
            return KeySetFile.read(in, key, keyParts);
        } catch (NoSuchKeyException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": key set " + key + " is missing");
        } catch (IllegalArgumentException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
    }

    private long readRows(String jobId, int chunkId, Manifest head, Workload workload, Map<Key, long[]> keySet,
                          ChunkProcessor processor, Rejects rejects) {
        String key = RunLayout.dataKey(jobId, chunkId);
        List<Manifest.Source> sources = head.sources();
        RecordFormat format = workload.format();
        boolean csv = format instanceof RecordFormat.Csv;
        KeyValues keyValues = KeyValues.of(format, workload.key().parts());
        long rows = 0;
        try (InputStream in = s3.open(bucket, key)) {
            Iterator<ChunkDataFormat.Row> it = new ChunkDataFormat(format).read(in, key);
            while (it.hasNext()) {
                ChunkDataFormat.Row row = it.next();
                rows++;
                int sourceIndex = row.sourceIndex();
                if (sourceIndex < 0 || sourceIndex >= sources.size()) {
                    throw new ChunkMismatch("chunk " + chunkId + ": row " + rows + " names source " + sourceIndex
                            + ", the manifest has " + sources.size());
                }
                String sourceKey = sources.get(sourceIndex).key();
                String[] values = row.values();
                JsonNode json = null;
                String[] k;
                if (csv) {
                    k = keyValues.ofCsv(values, values.length);
                } else {
                    json = parseObject(values[0]);
                    k = keyValues.ofJson(json);
                }
                long[] count = keySet.get(new Key(k));
                if (count == null) {
                    throw new ChunkMismatch("chunk " + chunkId + ": the row at " + sourceKey + " line " + row.line()
                            + " has a key outside the chunk's key set");
                }
                count[1]++;
                if ((row.flags() & ChunkDataFormat.INVALID_UTF8) != 0) {
                    rejects.add(sourceIndex, sourceKey, row.line(), INVALID_UTF8, "the record is not valid UTF-8");
                    continue;
                }
                if (!csv && json == null) {
                    rejects.add(sourceIndex, sourceKey, row.line(), BAD_JSON, "the line is not a JSON object");
                    continue;
                }
                SourceRecord record = csv ? SourceRecord.csv(sourceIndex, sourceKey, row.line(), values, values.length)
                        : SourceRecord.json(sourceIndex, sourceKey, row.line(), json);
                try {
                    processor.accept(record);
                } catch (RecordRejected r) {
                    rejects.add(sourceIndex, sourceKey, row.line(), r.reason(), r.detail());
                } catch (RuntimeException e) {
                    // the exception's message may quote the record: only its class is kept
                    rejects.add(sourceIndex, sourceKey, row.line(), WORKLOAD_ERROR,
                            "the workload failed on this record: " + e.getClass().getName());
                }
            }
        } catch (NoSuchKeyException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": data " + key + " is missing");
        } catch (IllegalStateException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
        return rows;
    }

    private static JsonNode parseObject(String text) {
        try {
            JsonNode node = Json.MAPPER.readTree(text);
            return node != null && node.isObject() ? node : null;
        } catch (JsonProcessingException e) {
            return null;
        }
    }

    private static void verify(String jobId, int chunkId, Map<Key, long[]> keySet, long rowsRead) {
        long expected = 0;
        int differing = 0;
        for (long[] c : keySet.values()) {
            expected += c[0];
            if (c[0] != c[1]) {
                differing++;
            }
        }
        if (differing > 0 || expected != rowsRead) {
            throw new ChunkMismatch("job " + jobId + " chunk " + chunkId + ": the key set promises " + expected
                    + " rows, the data has " + rowsRead + "; " + differing + " of " + keySet.size() + " keys differ");
        }
    }

    private static byte[] gzip(ChunkOutput.PartWriter writer) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        DeterministicGzipOutputStream out = new DeterministicGzipOutputStream(bytes, OUTPUT_GZIP_LEVEL);
        writer.write(out);
        out.close();
        return bytes.toByteArray();
    }
}
