package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.ParallelPuts;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.pipeline.source.KeyValues;
import dev.chunkflow.pipeline.source.SourceListing;
import dev.chunkflow.pipeline.source.SourceObject;
import dev.chunkflow.pipeline.source.SourceRecords;
import dev.chunkflow.workload.KeyEncoder;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Plans a data set into chunks and hands each chunk over through S3.
 *
 * <p>Memory stays bounded for millions of rows: the source is read once, streaming; what is kept is
 * the key index (one row count per key of the workload's grouping key; 20 to 40 bytes per key a
 * {@link KeyEncoder} packs, about 40 bytes plus the key's text per other key: {@link GeneralKeys}) while every record is appended to a local scratch file of its key's hash partition. Keys are then planned per
 * partition (sorted, packed by {@link ChunkPlanner}), and each partition file is read back alone and
 * split into its chunks' objects ({@link ChunkDataFormat}) as its records are read. So the heap holds the key index plus
 * one partition's chunk data (about {@code partitionBytes} of rows) plus the bodies of the uploads in
 * flight, never the data set.
 * Local disk holds the rows once, fast-compressed.
 */
public final class GetChunksService {
    /**
     * @param defaultTargetRows  rows per chunk when the request names none ({@code TARGET_ROWS_PER_CHUNK})
     * @param inlineMapMaxChunks above this many chunks the map runs DISTRIBUTED ({@code INLINE_MAP_MAX_CHUNKS})
     * @param partitionBytes     uncompressed row bytes per scratch partition (one partition's chunk data is in the heap at a time)
     * @param maxPartitions      cap on open scratch files
     * @param spillDir           local scratch directory ({@code /tmp} on Lambda)
     * @param uploadThreads      parallel S3 writes
     * @param memorySpillBytes   when the source's worst-case uncompressed size is at most this, the scratch
     *                           partitions stay in the heap, uncompressed, instead of going to {@code spillDir}
     *                           fast-compressed (default: an eighth of the maximum heap)
     */
    public record Settings(long defaultTargetRows, int inlineMapMaxChunks, long partitionBytes, int maxPartitions,
                           Path spillDir, int uploadThreads, long memorySpillBytes) {
        public static final int MAX_INLINE_MAP_CHUNKS = (int) dev.chunkflow.settings.Settings.INLINE_MAP_MAX_CHUNKS.max();
        public static final long MAX_TARGET_ROWS = dev.chunkflow.settings.Settings.TARGET_ROWS_PER_CHUNK.max();
        /** Open scratch files of one invocation; the fan-out path's partition count is the same below it. */
        public static final int MAX_PARTITIONS = 256;

        public Settings {
            dev.chunkflow.settings.Settings.INLINE_MAP_MAX_CHUNKS.check(inlineMapMaxChunks);
            dev.chunkflow.settings.Settings.TARGET_ROWS_PER_CHUNK.check(defaultTargetRows);
        }

        public Settings(long defaultTargetRows, int inlineMapMaxChunks, long partitionBytes, int maxPartitions,
                        Path spillDir, int uploadThreads) {
            this(defaultTargetRows, inlineMapMaxChunks, partitionBytes, maxPartitions, spillDir, uploadThreads,
                    Runtime.getRuntime().maxMemory() / 8);
        }

        public static Settings fromEnv(Env env) {
            return new Settings(dev.chunkflow.settings.Settings.TARGET_ROWS_PER_CHUNK.read(env),
                    (int) dev.chunkflow.settings.Settings.INLINE_MAP_MAX_CHUNKS.read(env),
                    dev.chunkflow.settings.Settings.PLAN_PARTITION_BYTES.read(env), MAX_PARTITIONS,
                    Path.of(System.getProperty("java.io.tmpdir")), 8);
        }

        public Settings withPartitionBytes(long bytes) {
            return new Settings(defaultTargetRows, inlineMapMaxChunks, bytes, maxPartitions, spillDir, uploadThreads,
                    memorySpillBytes);
        }

        public Settings withMemorySpillBytes(long bytes) {
            return new Settings(defaultTargetRows, inlineMapMaxChunks, partitionBytes, maxPartitions, spillDir, uploadThreads,
                    bytes);
        }
    }

    /** A validated request; {@code targetRows} 0 means "the default". */
    public record Request(String jobId, String bucket, String prefix, long targetRows, String workload) {
        /** A request for the service's default workload. */
        public Request(String jobId, String bucket, String prefix, long targetRows) {
            this(jobId, bucket, prefix, targetRows, null);
        }
    }

    private final S3Io s3;
    private final String dataBucket;
    private final Settings settings;
    private final Workloads workloads;
    private final String defaultWorkload;
    private FanOutSettings fanOut;

    public GetChunksService(S3Io s3, String dataBucket, Settings settings) {
        this(s3, dataBucket, settings, Workloads.installed(), WorkloadNames.BUILT_IN_DEFAULT);
    }

    /** @param defaultWorkload the workload of requests that name none ({@code DEFAULT_WORKLOAD}) */
    public GetChunksService(S3Io s3, String dataBucket, Settings settings, Workloads workloads, String defaultWorkload) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.settings = settings;
        this.workloads = workloads;
        this.defaultWorkload = defaultWorkload;
    }

    public String defaultWorkload() {
        return defaultWorkload;
    }

    public Settings settings() {
        return settings;
    }

    /** Sources above {@code fanOut}'s thresholds are planned by the fan-out path (see {@link #plan}); null: never. */
    public GetChunksService withFanOut(FanOutSettings fanOut) {
        this.fanOut = fanOut;
        return this;
    }

    /**
     * The GetChunks task: plans in this invocation ({@link GetChunksOutput}), or, when the listing is above
     * the fan-out thresholds, only writes the fan-out plan and its splits ({@link FanOutStart}) for the
     * state machine's fan-out branch.
     */
    public Map<String, Object> plan(Request req) {
        long started = System.nanoTime();
        Workload workload = WorkloadNames.require(workloads, req.workload() != null ? req.workload() : defaultWorkload, "workload");
        String bucket = req.bucket() == null ? dataBucket : req.bucket();
        long target = req.targetRows() > 0 ? req.targetRows() : settings.defaultTargetRows();
        List<SourceObject> sources = SourceListing.list(s3, bucket, req.prefix(), workload.format());
        if (fanOut != null && fanOut.applies(sources)) {
            return new FanOutStart(s3, dataBucket, fanOut, settings).start(req.jobId(), workload, bucket, req.prefix(), target, sources);
        }
        return runListed(req, workload, bucket, target, sources, started).toMap();
    }

    /** Plans in this invocation, whatever the source's size. */
    public GetChunksOutput run(Request req) {
        long started = System.nanoTime();
        Workload workload = WorkloadNames.require(workloads, req.workload() != null ? req.workload() : defaultWorkload, "workload");
        String bucket = req.bucket() == null ? dataBucket : req.bucket();
        long target = req.targetRows() > 0 ? req.targetRows() : settings.defaultTargetRows();
        return runListed(req, workload, bucket, target, SourceListing.list(s3, bucket, req.prefix(), workload.format()), started);
    }

    private GetChunksOutput runListed(Request req, Workload workload, String bucket, long target, List<SourceObject> sources,
                                      long started) {
        String jobId = req.jobId();
        int partitions = partitionsFor(sources);
        // gzip shrinks text 3-10x; the listing only has compressed sizes, so assume the worst before holding rows in the heap.
        boolean inMemory = worstCaseRawBytes(sources) <= settings.memorySpillBytes();
        KeyIndex index = new KeyIndex(workload.key(), partitions);
        long[] sourceRows = new long[sources.size()];
        List<Manifest.Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        try (SpillPartitions spill = inMemory ? SpillPartitions.inMemory(partitions)
                     : SpillPartitions.onDisk(settings.spillDir(), partitions);
             ParallelPuts puts = new ParallelPuts(settings.uploadThreads(), settings.uploadThreads() * 2)) {
            KeyValues keyValues = KeyValues.of(workload.format(), workload.key().parts());
            for (int i = 0; i < sources.size(); i++) {
                sourceRows[i] = readSource(bucket, sources.get(i), i, workload, keyValues, index, spill);
            }
            spill.finishWriting();
            long readDone = System.nanoTime();

            KeyIndex.Planned[] planned = index.byPartition();
            int nextChunkId = 0;
            long planDone = System.nanoTime();
            PartitionWriter writer = new PartitionWriter(s3, dataBucket, ChunkNames.global(jobId), target, index,
                    new ChunkDataFormat(workload.format()), puts, chunks);
            for (int p = 0; p < partitions; p++) {
                try (SpillPartitions.Reader in = spill.read(p)) {
                    nextChunkId = writer.write(p, nextChunkId, planned[p], in);
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read scratch partition " + p, e);
                }
                planned[p] = null;
                spill.delete(p);
            }
            long splitDone = System.nanoTime();
            puts.await();
            long putsDone = System.nanoTime();

            List<Manifest.Chunk> ordered = new ArrayList<>(chunks);
            ordered.sort(Comparator.comparingInt(Manifest.Chunk::chunkId));
            long totalRows = Arrays.stream(sourceRows).sum();
            List<Manifest.Source> manifestSources = new ArrayList<>();
            for (int i = 0; i < sources.size(); i++) {
                SourceObject o = sources.get(i);
                manifestSources.add(new Manifest.Source(o.key(), o.etag(), o.size(), sourceRows[i]));
            }
            Manifest manifest = new Manifest(jobId, workload.name(), ordered.size(), totalRows, target, partitions, bucket,
                    req.prefix(), manifestSources, ordered);
            s3.put(dataBucket, RunLayout.idsKey(jobId), idsJson(ordered.size()), "application/json");
            // The manifest goes last: its presence tells workers the plan is complete.
            s3.put(dataBucket, RunLayout.manifestKey(jobId), manifest.toJson(), "application/json");
            Log.info("chunks planned", "job_id", jobId, "workload", workload.name(), "sources", sources.size(),
                    "total_rows", totalRows, "num_chunks", ordered.size(), "keys", index.size(), "partitions", partitions,
                    "scratch", spill.inMemory() ? "memory" : "disk",
                    "read_ms", (readDone - started) / 1_000_000, "index_ms", (planDone - readDone) / 1_000_000,
                    "split_ms", (splitDone - planDone) / 1_000_000, "puts_wait_ms", (putsDone - splitDone) / 1_000_000,
                    "total_ms", (System.nanoTime() - started) / 1_000_000);
            return GetChunksOutput.of(jobId, ordered.size(), totalRows, settings.inlineMapMaxChunks());
        }
    }

    private static long worstCaseRawBytes(List<SourceObject> sources) {
        long bytes = 0;
        for (SourceObject o : sources) {
            bytes += o.gzipped() ? o.size() * 10 : o.size();
        }
        return bytes;
    }

    private int partitionsFor(List<SourceObject> sources) {
        return FanOutSettings.partitionCount(sources, settings.partitionBytes(), settings.maxPartitions());
    }

    private long readSource(String bucket, SourceObject src, int index, Workload workload, KeyValues keyValues,
                            KeyIndex keys, SpillPartitions spill) {
        String where = "s3://" + bucket + "/" + src.key();
        long rows = 0;
        try (SourceRecords records = SourceRecords.open(s3.openPinned(bucket, src.key(), src.etag()), where, src.key(),
                workload.format(), keyValues)) {
            while (records.next()) {
                String[] key = records.key();
                long code = keys.add(key);
                spill.append(keys.partition(code), index, records.line(), records.invalidUtf8() ? ChunkDataFormat.INVALID_UTF8 : 0,
                        code, records.payloadBytes(), records.payloadLength());
                rows++;
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new SourceChanged(where + " changed while it was being read (ETag " + src.etag() + ")");
            }
            throw e;
        }
        return rows;
    }

    static byte[] idsJson(int numChunks) {
        StringBuilder sb = new StringBuilder(numChunks * 7 + 2).append('[');
        for (int i = 0; i < numChunks; i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(i);
        }
        return sb.append(']').toString().getBytes(StandardCharsets.US_ASCII);
    }
}
