package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;

import dev.chunkflow.io.ParallelPuts;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.workload.KeyEncoder;

/**
 * Cuts planned partitions into chunks and writes each chunk's key set and data object (uploads in
 * parallel), collecting the chunks for the manifest. GetChunks uses one for all its partitions; a fan-out
 * partition worker ({@link PlanPartitionService}) one for its partition, so both paths cut the same chunks.
 */
final class PartitionWriter {
    private final S3Io s3;
    private final String dataBucket;
    private final ChunkNames names;
    private final long target;
    private final KeyIndex index;
    /** A general key's chunk (local to its partition), by the key's id in {@link #index}. */
    private final int[] generalChunk;
    private final ChunkDataFormat dataFormat;
    private final ParallelPuts puts;
    private final List<Manifest.Chunk> chunks;

    /** {@code index} is complete (every record read); {@code chunks} takes each written chunk (thread-safe list). */
    PartitionWriter(S3Io s3, String dataBucket, ChunkNames names, long target, KeyIndex index, ChunkDataFormat dataFormat,
                    ParallelPuts puts, List<Manifest.Chunk> chunks) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.names = names;
        this.target = target;
        this.index = index;
        this.generalChunk = new int[index.general().size()];
        this.dataFormat = dataFormat;
        this.puts = puts;
        this.chunks = chunks;
    }

    /**
     * Plans one partition's keys (encoded keys in order, then the others) and writes its chunks, reading the
     * partition's records from {@code in}; returns the next chunk id.
     */
    int write(int partition, int firstChunkId, KeyIndex.Planned planned, SpillPartitions.Reader in) {
        int nKeys = planned.size();
        if (nKeys == 0) {
            return firstChunkId;
        }
        int[] rows = planned.rows();
        int[] chunkOf = ChunkPlanner.assign(rows, target);
        int localChunks = chunkOf[nKeys - 1] + 1;
        long[] codes = planned.codes();
        // Chunks are contiguous runs of the sorted codes, so a row's chunk is found by a binary search over the
        // first code of each chunk (a small array that stays in cache) rather than by a second probe of the key
        // index per row. An unindexed key cannot slip through: every chunk's row count is checked below.
        int codeChunks = codes.length == 0 ? 0 : chunkOf[codes.length - 1] + 1;
        long[] firstCode = new long[codeChunks];
        for (int i = codes.length - 1; i >= 0; i--) {
            firstCode[chunkOf[i]] = codes[i];
        }
        int[] general = planned.general();
        for (int i = 0; i < general.length; i++) {
            generalChunk[general[i]] = chunkOf[codes.length + i];
        }
        int[] firstKey = new int[localChunks + 1];
        Arrays.fill(firstKey, -1);
        for (int i = nKeys - 1; i >= 0; i--) {
            firstKey[chunkOf[i]] = i;
        }
        firstKey[localChunks] = nKeys;

        // Each chunk's data object is built while the partition is read, as bytes (no String per row).
        ChunkDataFormat.Builder[] data = new ChunkDataFormat.Builder[localChunks];
        for (int c = 0; c < localChunks; c++) {
            data[c] = dataFormat.builder();
        }
        try {
            while (in.next()) {
                int c = index.partition(in.code) != partition ? -1
                        : KeyIndex.isGeneral(in.code) ? generalChunk[KeyIndex.generalId(in.code)]
                        : chunkOfCode(firstCode, in.code);
                if (c < 0 || c >= localChunks) {
                    throw new IllegalStateException("scratch partition " + partition + " holds a row whose key was not indexed");
                }
                data[c].add(in.sourceIndex, in.line, in.flags, in.payload, in.length);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read scratch partition " + partition, e);
        }

        KeyEncoder encoder = index.encoder();
        for (int c = 0; c < localChunks; c++) {
            int chunkId = firstChunkId + c;
            ChunkDataFormat.Builder chunkData = data[c];
            data[c] = null;
            int from = firstKey[c];
            int to = firstKey[c + 1];
            long expected = 0;
            for (int i = from; i < to; i++) {
                expected += rows[i];
            }
            if (expected != chunkData.rows()) {
                throw new IllegalStateException("chunk " + chunkId + ": key index says " + expected + " rows, scratch data has "
                        + chunkData.rows());
            }
            puts.submit(() -> {
                byte[] keys = KeySetFile.write(encoder, codes, general, index.general(), rows, from, to);
                // The builder's buffer goes out as it is: a copy of every chunk in flight would cost the heap
                // a partition's worth of chunk data (docs/benchmarks.md, memory).
                s3.put(dataBucket, names.keysKey(chunkId), keys, "application/gzip");
                s3.put(dataBucket, names.dataKey(chunkId), chunkData.buffer(), chunkData.size(), "text/plain; charset=utf-8");
                chunks.add(new Manifest.Chunk(chunkId, to - from, chunkData.rows(), chunkData.size()));
            });
        }
        return firstChunkId + localChunks;
    }

    /** The chunk whose first code is the greatest one {@code <= code}; -1 below the first chunk. */
    static int chunkOfCode(long[] firstCode, long code) {
        int i = Arrays.binarySearch(firstCode, code);
        return i >= 0 ? i : -i - 2;
    }
}
