package dev.chunkflow.etl;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.chunkflow.chunks.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.runs.RunLayout;
import dev.chunkflow.source.VisitCsv;
import dev.chunkflow.source.VisitKey;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * Processes one chunk: loads its key set and rows from S3, checks that they agree, runs
 * {@link VisitTransform}, writes the three outputs, then commits the chunk result.
 *
 * <p>Idempotency: outputs are byte-identical on a retry (fixed order, fixed gzip header), so
 * overwriting them is harmless. The result object is created with {@code If-None-Match: *}, and the
 * job counters are bumped only by the attempt that created it, so a retried chunk is not counted
 * twice. The one window left (a crash after the result is created and before the ADD) makes the
 * counters short, never long; Summarize recomputes the totals from the result objects, which are
 * authoritative.
 */
public final class ProcessChunkService {
    static final int OUTPUT_GZIP_LEVEL = Deflater.DEFAULT_COMPRESSION;

    /** What one chunk did; the handler returns its counts only. */
    public record Outcome(int chunkId, long rowsIn, long rowsOut, long rowsRejected, long duplicatesDropped,
                          boolean counted) {
    }

    private final S3Io s3;
    private final String bucket;
    private final Supplier<byte[]> secret;
    private final JobProgress progress;

    public ProcessChunkService(S3Io s3, String bucket, Supplier<byte[]> secret, JobProgress progress) {
        this.s3 = s3;
        this.bucket = bucket;
        this.secret = secret;
        this.progress = progress;
    }

    /** The manifest's head (sources, num_chunks); InvalidInput when the job has no plan. */
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
        Map<VisitKey, long[]> keySet = readKeySet(jobId, chunkId);
        VisitTransform transform = new VisitTransform(new Pseudonymizer(secret.get()));
        long rowsRead = readRows(jobId, chunkId, head, keySet, transform);
        verify(jobId, chunkId, keySet, rowsRead);
        int keys = keySet.size();
        keySet = null; // checked: not needed while the visits are ordered, aggregated and written
        VisitTransform.Result result = transform.finish();

        String visitsKey = RunLayout.visitsKey(jobId, chunkId);
        String dailyKey = RunLayout.dailyKey(jobId, chunkId);
        String rejectsKey = RunLayout.rejectsKey(jobId, chunkId);
        byte[] visits = gzip(result::writeVisits);
        byte[] daily = gzip(result::writeDaily);
        byte[] rejects = gzip(result::writeRejects);
        s3.put(bucket, visitsKey, visits, "application/gzip");
        s3.put(bucket, dailyKey, daily, "application/gzip");
        s3.put(bucket, rejectsKey, rejects, "application/gzip");

        ChunkResult chunkResult = new ChunkResult(jobId, chunkId, keys, result.rowsIn(), result.rowsOut(),
                result.rowsRejected(), result.duplicatesDropped(), result.dailyRows(), result.rejectReasons(),
                visitsKey, dailyKey, rejectsKey, visits.length, daily.length, rejects.length);
        byte[] resultJson = Json.bytes(chunkResult);
        String resultKey = RunLayout.resultKey(jobId, chunkId);
        boolean created = s3.putIfAbsent(bucket, resultKey, resultJson, "application/json");
        if (created) {
            Map<String, Long> deltas = new LinkedHashMap<>();
            deltas.put("chunks_done", 1L);
            deltas.put("rows_in", result.rowsIn());
            deltas.put("rows_out", result.rowsOut());
            deltas.put("rows_rejected", result.rowsRejected());
            deltas.put("duplicates_dropped", result.duplicatesDropped());
            progress.addCounters(jobId, deltas);
        } else if (!Arrays.equals(s3.getBytes(bucket, resultKey), resultJson)) {
            // Only possible if the chunk's inputs changed since the first attempt (a re-plan under the same
            // job id): keep the result in step with the outputs just written; counters stay as they are.
            Log.warn("chunk result differs from an earlier attempt; replacing it", "job_id", jobId, "chunk_id", chunkId);
            s3.put(bucket, resultKey, resultJson, "application/json");
        }
        Log.info("chunk processed", "job_id", jobId, "chunk_id", chunkId, "rows_in", result.rowsIn(),
                "rows_out", result.rowsOut(), "rows_rejected", result.rowsRejected(),
                "duplicates_dropped", result.duplicatesDropped(), "counted", created,
                "ms", (System.nanoTime() - started) / 1_000_000);
        return new Outcome(chunkId, result.rowsIn(), result.rowsOut(), result.rowsRejected(), result.duplicatesDropped(),
                created);
    }

    /** Key -> {rows the key set promises, rows seen}. */
    private Map<VisitKey, long[]> readKeySet(String jobId, int chunkId) {
        String key = RunLayout.keysKey(jobId, chunkId);
        Map<VisitKey, long[]> keys = new HashMap<>();
        try (InputStream in = new GZIPInputStream(s3.open(bucket, key), 64 * 1024);
             JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new ChunkMismatch("chunk " + chunkId + ": " + key + " is not a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                String date = null;
                String ssn = null;
                long rows = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    p.nextToken();
                    switch (f) {
                        case "visit_date" -> date = p.getText();
                        case "ssn" -> ssn = p.getText();
                        case "rows" -> rows = p.getLongValue();
                        default -> p.skipChildren();
                    }
                }
                if (date == null || ssn == null || rows < 1) {
                    throw new ChunkMismatch("chunk " + chunkId + ": " + key + " has an incomplete entry");
                }
                if (keys.put(new VisitKey(date, ssn), new long[] {rows, 0}) != null) {
                    throw new ChunkMismatch("chunk " + chunkId + ": " + key + " lists a key twice");
                }
            }
        } catch (NoSuchKeyException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": key set " + key + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
        return keys;
    }

    private long readRows(String jobId, int chunkId, Manifest head, Map<VisitKey, long[]> keySet, VisitTransform transform) {
        String key = RunLayout.dataKey(jobId, chunkId);
        List<Manifest.Source> sources = head.sources();
        String[] fields = new String[VisitCsv.FIELDS + 1];
        long rows = 0;
        try (BufferedReader in = s3.openLines(bucket, key, null)) {
            String header = in.readLine();
            if (header == null || !header.startsWith("source_index,line,")) {
                throw new ChunkMismatch("chunk " + chunkId + ": " + key + " has no chunk data header");
            }
            String line;
            while ((line = in.readLine()) != null) {
                int c1 = line.indexOf(',');
                int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
                int sourceIndex;
                long lineNumber;
                try {
                    sourceIndex = Integer.parseInt(line, 0, c1, 10);
                    lineNumber = Long.parseLong(line, c1 + 1, c2, 10);
                } catch (RuntimeException e) {
                    throw new ChunkMismatch("chunk " + chunkId + ": " + key + " row " + (rows + 1) + " has no source reference");
                }
                if (sourceIndex < 0 || sourceIndex >= sources.size()) {
                    throw new ChunkMismatch("chunk " + chunkId + ": row " + (rows + 1) + " names source " + sourceIndex
                            + ", the manifest has " + sources.size());
                }
                int n = VisitCsv.split(line, c2 + 1, fields);
                long[] count = keySet.get(VisitKey.of(fields, n));
                String sourceKey = sources.get(sourceIndex).key();
                if (count == null) {
                    throw new ChunkMismatch("chunk " + chunkId + ": the row at " + sourceKey + " line " + lineNumber
                            + " has a key outside the chunk's key set");
                }
                count[1]++;
                rows++;
                transform.accept(sourceIndex, sourceKey, lineNumber, fields, n);
            }
        } catch (NoSuchKeyException e) {
            throw new ChunkMismatch("chunk " + chunkId + ": data " + key + " is missing");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + key, e);
        }
        return rows;
    }

    private static void verify(String jobId, int chunkId, Map<VisitKey, long[]> keySet, long rowsRead) {
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

    private interface BodyWriter {
        void write(java.io.OutputStream out) throws IOException;
    }

    private static byte[] gzip(BodyWriter writer) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        try {
            writer.write(new DeterministicGzipOutputStream(bytes, OUTPUT_GZIP_LEVEL));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }
}
