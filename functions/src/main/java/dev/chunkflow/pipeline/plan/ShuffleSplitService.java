package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.annotation.JsonProperty;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.ParallelPuts;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.pipeline.source.KeyValues;
import dev.chunkflow.pipeline.source.SourceRecords;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Fan-out step 1, one split per invocation: reads the split's records (as GetChunks reads a source) and
 * writes each to the key-hash partition GetChunks would put it in, one gzip object per partition the
 * split touches ({@code runs/{job}/shuffle/{partition}/{split}.bin.gz}, GetChunks' scratch format, lines
 * counted from the split's first line), then the split's result: rows, lines and per-partition rows and
 * key counts. A retry rewrites the same bytes (fixed order, deterministic gzip); the result goes last.
 */
public final class ShuffleSplitService {
    private final S3Io s3;
    private final String dataBucket;
    private final GetChunksService.Settings settings;
    private final Workloads workloads;

    public ShuffleSplitService(S3Io s3, String dataBucket, GetChunksService.Settings settings, Workloads workloads) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.settings = settings;
        this.workloads = workloads;
    }

    /** What a split worker returns to the Map state: a few bytes. */
    public record Output(int split, long rows) {
    }

    /**
     * The split's commit object ({@link RunLayout#splitResultKey}), written last; the collect step sums
     * them. {@code partitions}: {@code [partition, rows, keys]} for each partition the split wrote to.
     */
    record Result(int split, @JsonProperty("source_index") int sourceIndex, long rows, long lines, List<long[]> partitions) {
    }

    public Output run(String jobId, Split split) {
        long started = System.nanoTime();
        FanOutPlan plan = FanOutPlan.read(s3, dataBucket, jobId);
        if (split.split() >= plan.numSplits() || split.sourceIndex() >= plan.numSources()) {
            throw new dev.chunkflow.common.InvalidInput("split", "split " + split.split() + " (source " + split.sourceIndex()
                    + ") is not one of job " + jobId + "'s " + plan.numSplits() + " splits");
        }
        Workload workload = WorkloadNames.require(workloads, plan.workload(), "workload");
        int partitions = plan.partitions();
        KeyIndex index = new KeyIndex(workload.key(), partitions);
        long[] partitionRows = new long[partitions];
        String where = "s3://" + plan.bucket() + "/" + split.key() + (split.whole() ? "" : " (bytes " + split.start() + "-" + split.end() + ")");
        long rows = 0;
        long lines;
        try (SpillPartitions spill = SpillPartitions.onDisk(settings.spillDir(), partitions);
             ParallelPuts puts = new ParallelPuts(settings.uploadThreads(), settings.uploadThreads() * 2)) {
            KeyValues keyValues = KeyValues.of(workload.format(), workload.key().parts());
            LineRange range = null;
            try {
                InputStream in = s3.openPinnedFrom(plan.bucket(), split.key(), split.etag(), split.whole() ? 0 : Math.max(0, split.start() - 1));
                if (!split.whole()) {
                    range = new LineRange(in, split.start(), split.end());
                    in = range;
                }
                try (SourceRecords records = SourceRecords.open(in, where, split.key(), workload.format(), keyValues)) {
                    while (records.next()) {
                        String[] key = records.key();
                        long code = index.add(key);
                        int p = index.partition(code);
                        int flags = records.invalidUtf8() ? ChunkDataFormat.INVALID_UTF8 : 0;
                        if (KeyIndex.isGeneral(code)) {
                            // A general key's code is an id in this worker's index only: its parts travel instead.
                            spill.appendKeyed(p, split.sourceIndex(), records.line(), flags, key, records.payloadBytes(),
                                    records.payloadLength());
                        } else {
                            spill.append(p, split.sourceIndex(), records.line(), flags, code, records.payloadBytes(),
                                    records.payloadLength());
                        }
                        partitionRows[p]++;
                        rows++;
                    }
                }
            } catch (S3Exception e) {
                if (e.statusCode() == 412) {
                    throw new SourceChanged(where + " changed since it was listed (ETag " + split.etag() + ")");
                }
                if (e.statusCode() == 404 || e.statusCode() == 403) {
                    // Without s3:ListBucket S3 answers a missing key with 403.
                    throw new SourceChanged(where + " is gone since it was listed (S3 answered " + e.statusCode() + ")");
                }
                throw e;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + where, e);
            }
            lines = range != null ? range.lines() : -1;
            spill.finishWriting();
            int[] keys = index.keysPerPartition();
            List<long[]> touched = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                if (partitionRows[p] == 0) {
                    continue;
                }
                touched.add(new long[] {p, partitionRows[p], keys[p]});
                byte[] body = spill.compressedBytes(p);
                String key = RunLayout.shuffleKey(jobId, p, split.split());
                puts.submit(() -> s3.put(dataBucket, key, body, "application/gzip"));
            }
            puts.await();
            // Last: the split's commit point for the collect step.
            s3.put(dataBucket, RunLayout.splitResultKey(jobId, split.split()),
                    Json.bytes(new Result(split.split(), split.sourceIndex(), rows, lines, touched)), "application/json");
            Log.info("split shuffled", "job_id", jobId, "split", split.split(), "source_index", split.sourceIndex(),
                    "rows", rows, "partitions_touched", touched.size(), "ms", (System.nanoTime() - started) / 1_000_000);
        }
        return new Output(split.split(), rows);
    }
}
