package dev.chunkflow.chunks;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.io.ParallelPuts;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.runs.RunLayout;
import dev.chunkflow.source.SourceListing;
import dev.chunkflow.source.SourceObject;
import dev.chunkflow.source.VisitCsv;
import dev.chunkflow.source.VisitKey;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Plans a data set into chunks and hands each chunk over through S3.
 *
 * <p>Memory stays bounded for millions of rows: the source is read once, streaming; what is kept is
 * the key index (one row count per {@code (visit_date, ssn)}, 20 to 40 bytes per well-formed key) while
 * every row is appended to a local scratch file of its key's hash partition. Keys are then planned per
 * partition (sorted, packed by {@link ChunkPlanner}), and each partition file is read back alone and
 * split into its chunks' objects (plain CSV) as its rows are read. So the heap holds the key index plus
 * one partition's chunk data (about {@code partitionBytes} of rows) plus the bodies of the uploads in
 * flight, never the data set.
 * Local disk holds the rows once, fast-compressed.
 */
public final class GetChunksService {
    static final String DATA_HEADER = "source_index,line," + VisitCsv.HEADER;

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
                    64L << 20, 256, Path.of(System.getProperty("java.io.tmpdir")), 8);
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
    public record Request(String jobId, String bucket, String prefix, long targetRows) {
    }

    private final S3Io s3;
    private final String dataBucket;
    private final Settings settings;

    public GetChunksService(S3Io s3, String dataBucket, Settings settings) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.settings = settings;
    }

    public Settings settings() {
        return settings;
    }

    public GetChunksOutput run(Request req) {
        long started = System.nanoTime();
        String jobId = req.jobId();
        String bucket = req.bucket() == null ? dataBucket : req.bucket();
        long target = req.targetRows() > 0 ? req.targetRows() : settings.defaultTargetRows();
        List<SourceObject> sources = SourceListing.list(s3, bucket, req.prefix());
        int partitions = partitionsFor(sources);
        // gzip shrinks CSV 3-10x; the listing only has compressed sizes, so assume the worst before holding rows in the heap.
        boolean inMemory = worstCaseRawBytes(sources) <= settings.memorySpillBytes();

        LongIntMap counts = new LongIntMap(1 << 16);
        Map<VisitKey, int[]> oddCounts = new HashMap<>();
        long[] sourceRows = new long[sources.size()];
        List<Manifest.Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        try (SpillPartitions spill = inMemory ? SpillPartitions.inMemory(partitions)
                     : SpillPartitions.onDisk(settings.spillDir(), partitions);
             ParallelPuts puts = new ParallelPuts(settings.uploadThreads(), settings.uploadThreads() * 2)) {
            KeyCodec codec = new KeyCodec();
            for (int i = 0; i < sources.size(); i++) {
                sourceRows[i] = readSource(bucket, sources.get(i), i, codec, counts, oddCounts, spill);
            }
            spill.finishWriting();
            long readDone = System.nanoTime();

            long[][] codesByPartition = codesByPartition(counts, partitions);
            List<List<VisitKey>> oddByPartition = oddByPartition(oddCounts, partitions);
            int nextChunkId = 0;
            long planDone = System.nanoTime();
            for (int p = 0; p < partitions; p++) {
                nextChunkId = writePartition(jobId, p, nextChunkId, target, codesByPartition[p], oddByPartition.get(p),
                        counts, oddCounts, spill, codec, puts, chunks);
                codesByPartition[p] = null;
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
            Manifest manifest = new Manifest(jobId, ordered.size(), totalRows, target, partitions, bucket, req.prefix(),
                    manifestSources, ordered);
            s3.put(dataBucket, RunLayout.idsKey(jobId), idsJson(ordered.size()), "application/json");
            // The manifest goes last: its presence tells workers the plan is complete.
            s3.put(dataBucket, RunLayout.manifestKey(jobId), manifest.toJson(), "application/json");
            Log.info("chunks planned", "job_id", jobId, "sources", sources.size(), "total_rows", totalRows,
                    "num_chunks", ordered.size(), "keys", counts.size() + oddCounts.size(), "partitions", partitions, "scratch", spill.inMemory() ? "memory" : "disk",
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
        long estimate = 0;
        for (SourceObject o : sources) {
            estimate += o.gzipped() ? o.size() * 6 : o.size();
        }
        long p = (estimate + settings.partitionBytes() - 1) / settings.partitionBytes();
        return (int) Math.max(1, Math.min(settings.maxPartitions(), p));
    }

    private long readSource(String bucket, SourceObject src, int index, KeyCodec codec, LongIntMap counts,
                            Map<VisitKey, int[]> oddCounts, SpillPartitions spill) {
        String where = "s3://" + bucket + "/" + src.key();
        long rows = 0;
        try (BufferedReader in = s3.openLines(bucket, src.key(), src.etag())) {
            String header = in.readLine();
            if (header == null) {
                return 0;
            }
            VisitCsv.requireHeader(header, where);
            int partitions = spill.partitions();
            long lineNumber = 1;
            String line;
            while ((line = in.readLine()) != null) {
                lineNumber++;
                if (line.isBlank()) {
                    continue;
                }
                long code = codec.read(line, 0);
                int p;
                if (code != KeyCodec.NONE) {
                    counts.add(code, 1);
                    p = KeyCodec.partition(code, partitions);
                } else {
                    VisitKey key = codec.oddKey();
                    oddCounts.computeIfAbsent(key, k -> new int[1])[0]++;
                    p = KeyCodec.partition(key, partitions);
                }
                spill.append(p, index, lineNumber, line);
                rows++;
            }
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new SourceChanged(where + " changed while it was being read (ETag " + src.etag() + ")");
            }
            throw e;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        }
        return rows;
    }

    private static long[][] codesByPartition(LongIntMap counts, int partitions) {
        int[] sizes = new int[partitions];
        counts.forEach((code, rows) -> sizes[KeyCodec.partition(code, partitions)]++);
        long[][] codes = new long[partitions][];
        for (int p = 0; p < partitions; p++) {
            codes[p] = new long[sizes[p]];
        }
        int[] fill = new int[partitions];
        counts.forEach((code, rows) -> {
            int p = KeyCodec.partition(code, partitions);
            codes[p][fill[p]++] = code;
        });
        for (long[] c : codes) {
            Arrays.sort(c);
        }
        return codes;
    }

    private static List<List<VisitKey>> oddByPartition(Map<VisitKey, int[]> oddCounts, int partitions) {
        List<List<VisitKey>> odd = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            odd.add(new ArrayList<>());
        }
        for (VisitKey k : oddCounts.keySet()) {
            odd.get(KeyCodec.partition(k, partitions)).add(k);
        }
        odd.forEach(Collections::sort);
        return odd;
    }

    /** Plans one partition's keys (well-formed keys in order, then odd ones), writes its chunks; returns the next chunk id. */
    private int writePartition(String jobId, int partition, int firstChunkId, long target, long[] codes, List<VisitKey> odd,
                               LongIntMap counts, Map<VisitKey, int[]> oddCounts, SpillPartitions spill, KeyCodec codec,
                               ParallelPuts puts, List<Manifest.Chunk> chunks) {
        int nKeys = codes.length + odd.size();
        if (nKeys == 0) {
            return firstChunkId;
        }
        int[] rows = new int[nKeys];
        for (int i = 0; i < codes.length; i++) {
            rows[i] = counts.get(codes[i], 0);
        }
        for (int i = 0; i < odd.size(); i++) {
            rows[codes.length + i] = oddCounts.get(odd.get(i))[0];
        }
        int[] chunkOf = ChunkPlanner.assign(rows, target);
        int localChunks = chunkOf[nKeys - 1] + 1;
        // Chunks are contiguous runs of the sorted codes, so a row's chunk is found by a binary search over the
        // first code of each chunk (a small array that stays in cache) rather than by a second probe of the key
        // index per row. An unindexed key cannot slip through: every chunk's row count is checked below.
        int codeChunks = codes.length == 0 ? 0 : chunkOf[codes.length - 1] + 1;
        long[] firstCode = new long[codeChunks];
        for (int i = codes.length - 1; i >= 0; i--) {
            firstCode[chunkOf[i]] = codes[i];
        }
        int partitions = spill.partitions();
        Map<VisitKey, Integer> oddToChunk = new HashMap<>();
        for (int i = 0; i < odd.size(); i++) {
            oddToChunk.put(odd.get(i), chunkOf[codes.length + i]);
        }
        int[] firstKey = new int[localChunks + 1];
        Arrays.fill(firstKey, -1);
        for (int i = nKeys - 1; i >= 0; i--) {
            firstKey[chunkOf[i]] = i;
        }
        firstKey[localChunks] = nKeys;

        // Each chunk's data object is built while the partition is read, as UTF-8 bytes (no String per row).
        ChunkData[] data = new ChunkData[localChunks];
        for (int c = 0; c < localChunks; c++) {
            data[c] = new ChunkData();
        }
        try (BufferedReader in = spill.read(partition)) {
            String line;
            while ((line = in.readLine()) != null) {
                int from = line.indexOf(',', line.indexOf(',') + 1) + 1;
                long code = codec.read(line, from);
                int c = code == KeyCodec.NONE ? oddToChunk.getOrDefault(codec.oddKey(), -1)
                        : KeyCodec.partition(code, partitions) == partition ? chunkOfCode(firstCode, code) : -1;
                if (c < 0 || c >= localChunks) {
                    throw new IllegalStateException("scratch partition " + partition + " holds a row whose key was not indexed");
                }
                data[c].add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scratch partition " + partition, e);
        }

        for (int c = 0; c < localChunks; c++) {
            int chunkId = firstChunkId + c;
            ChunkData chunkData = data[c];
            data[c] = null;
            int from = firstKey[c];
            int to = firstKey[c + 1];
            long expected = 0;
            for (int i = from; i < to; i++) {
                expected += rows[i];
            }
            if (expected != chunkData.rows) {
                throw new IllegalStateException("chunk " + chunkId + ": key index says " + expected + " rows, scratch data has "
                        + chunkData.rows);
            }
            long[] keyCodes = codes;
            puts.submit(() -> {
                byte[] keys = keysJson(keyCodes, odd, rows, from, to);
                byte[] body = chunkData.finish();
                s3.put(dataBucket, RunLayout.keysKey(jobId, chunkId), keys, "application/gzip");
                s3.put(dataBucket, RunLayout.dataKey(jobId, chunkId), body, "text/csv; charset=utf-8");
                chunks.add(new Manifest.Chunk(chunkId, to - from, chunkData.rows, body.length));
            });
        }
        return firstChunkId + localChunks;
    }

    /** The chunk whose first code is the greatest one {@code <= code}; -1 below the first chunk. */
    static int chunkOfCode(long[] firstCode, long code) {
        int i = Arrays.binarySearch(firstCode, code);
        return i >= 0 ? i : -i - 2;
    }

    /**
     * One chunk's data object ({@link #DATA_HEADER}, then its rows prefixed with source index and line), as
     * plain UTF-8 CSV. Not gzipped: it is an intermediate object, read once by ProcessChunk, encrypted at rest
     * and expired by the lifecycle rule, and compressing it (then inflating it in ProcessChunk) cost more than
     * half of GetChunks' time for bytes that only travel inside the region (docs/benchmarks.md, planner).
     */
    private static final class ChunkData {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream(8192);
        private final Writer writer;
        private long rows;

        ChunkData() {
            try {
                writer = new OutputStreamWriter(bytes, StandardCharsets.UTF_8);
                writer.write(DATA_HEADER);
                writer.write('\n');
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void add(String line) throws IOException {
            writer.write(line);
            writer.write('\n');
            rows++;
        }

        byte[] finish() {
            try {
                writer.close();
                return bytes.toByteArray();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** The chunk's key set: {@code [{visit_date, ssn, rows}]} in key order. */
    private static byte[] keysJson(long[] codes, List<VisitKey> odd, int[] rows, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (to - from) * 24);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(
                new DeterministicGzipOutputStream(bytes, Deflater.BEST_SPEED))) {
            g.writeStartArray();
            char[] text = new char[KeyCodec.DATE_CHARS + KeyCodec.SSN_CHARS];
            for (int i = from; i < to; i++) {
                g.writeStartObject();
                if (i < codes.length) {
                    // the same text as KeyCodec.date / KeyCodec.ssn, without a String per key
                    KeyCodec.date(codes[i], text, 0);
                    KeyCodec.ssn(codes[i], text, KeyCodec.DATE_CHARS);
                    g.writeFieldName("visit_date");
                    g.writeString(text, 0, KeyCodec.DATE_CHARS);
                    g.writeFieldName("ssn");
                    g.writeString(text, KeyCodec.DATE_CHARS, KeyCodec.SSN_CHARS);
                } else {
                    VisitKey k = odd.get(i - codes.length);
                    g.writeStringField("visit_date", k.visitDate());
                    g.writeStringField("ssn", k.ssn());
                }
                g.writeNumberField("rows", rows[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    private static byte[] idsJson(int numChunks) {
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
