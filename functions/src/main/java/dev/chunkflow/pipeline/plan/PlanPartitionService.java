package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.ParallelPuts;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Fan-out step 3, one key-hash partition per invocation: reads the partition's shuffle objects in split
 * order (hence in source order, as GetChunks' own scratch partition holds them), turns each record's line
 * into the object's line (the split's first line from the collect step), counts its keys and plans and
 * writes its chunks with GetChunks' own partition writer, numbered from 0 within the partition
 * ({@code runs/{job}/chunks/{partition}/{n}.*}). Then the partition's result: its chunks' keys, rows and
 * sizes. Same data and partition count, same chunks as one GetChunks invocation; a retry rewrites them.
 */
public final class PlanPartitionService {
    private final S3Io s3;
    private final String dataBucket;
    private final GetChunksService.Settings settings;
    private final Workloads workloads;

    public PlanPartitionService(S3Io s3, String dataBucket, GetChunksService.Settings settings, Workloads workloads) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.settings = settings;
        this.workloads = workloads;
    }

    /** What a partition worker returns to the Map state: a few bytes. */
    public record Output(int partition, int chunks, long rows) {
    }

    /**
     * The partition's commit object ({@link RunLayout#partitionResultKey}); the numbering step reads them.
     * {@code chunks}: {@code [local chunk id, keys, rows, data bytes]}, in local id order.
     */
    record Result(int partition, long rows, List<long[]> chunks) {
    }

    public Output run(String jobId, int partition) {
        long started = System.nanoTime();
        FanOutPlan plan = FanOutPlan.read(s3, dataBucket, jobId);
        if (partition >= plan.partitions()) {
            throw new InvalidInput("partition", "job " + jobId + " has " + plan.partitions() + " partitions, not " + (partition + 1));
        }
        Shuffled shuffled = Shuffled.read(s3, dataBucket, jobId, plan);
        Workload workload = WorkloadNames.require(workloads, plan.workload(), "workload");
        // Split order is source order; sorted by number, not name (split 100000 lists before 99999).
        List<S3Object> objects = new ArrayList<>(s3.list(dataBucket, RunLayout.shufflePrefix(jobId, partition)));
        objects.sort(Comparator.comparingInt(o -> splitOf(o.key(), partition, jobId, plan)));
        long compressed = objects.stream().mapToLong(S3Object::size).sum();
        KeyIndex index = new KeyIndex(workload.key(), plan.partitions());
        long rows = 0;
        List<Manifest.Chunk> chunks = Collections.synchronizedList(new ArrayList<>());
        // Fast-compressed rows grow about 4-8x back; beyond the memory budget the partition goes to local disk.
        boolean inMemory = compressed * 10 <= settings.memorySpillBytes();
        try (SpillPartitions spill = inMemory ? SpillPartitions.inMemory(1) : SpillPartitions.onDisk(settings.spillDir(), 1);
             ParallelPuts puts = new ParallelPuts(settings.uploadThreads(), settings.uploadThreads() * 2)) {
            for (S3Object o : objects) {
                int split = splitOf(o.key(), partition, jobId, plan);
                long firstLine = shuffled.lineOffset(split);
                try (InputStream body = s3.open(dataBucket, o.key());
                     SpillPartitions.Reader in = SpillPartitions.reader(body)) {
                    while (in.next()) {
                        long code = in.code;
                        if (in.key != null) {
                            code = index.add(in.key);
                        } else {
                            index.addCode(code);
                        }
                        spill.append(0, in.sourceIndex, in.line + firstLine, in.flags, code, in.payload, in.length);
                        rows++;
                    }
                } catch (IOException e) {
                    throw new ShuffleIncomplete(o.key() + " is not a shuffle object chunkflow wrote (" + e.getMessage() + ")");
                }
            }
            spill.finishWriting();
            if (rows != shuffled.partitionRows(partition)) {
                throw new ShuffleIncomplete("partition " + partition + ": the splits wrote " + shuffled.partitionRows(partition)
                        + " rows to it, its " + objects.size() + " shuffle objects hold " + rows);
            }
            KeyIndex.Planned planned = index.byPartition()[partition];
            PartitionWriter writer = new PartitionWriter(s3, dataBucket, ChunkNames.ofPartition(jobId, partition), plan.targetRows(),
                    index, new ChunkDataFormat(workload.format()), puts, chunks);
            try (SpillPartitions.Reader in = spill.read(0)) {
                writer.write(partition, 0, planned, in);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read the partition's scratch copy", e);
            }
            puts.await();
        }
        List<Manifest.Chunk> ordered = new ArrayList<>(chunks);
        ordered.sort(Comparator.comparingInt(Manifest.Chunk::chunkId));
        List<long[]> list = new ArrayList<>();
        for (Manifest.Chunk c : ordered) {
            list.add(new long[] {c.chunkId(), c.keys(), c.rows(), c.dataBytes()});
        }
        s3.put(dataBucket, RunLayout.partitionResultKey(jobId, partition), Json.bytes(new Result(partition, rows, list)),
                "application/json");
        Log.info("partition planned", "job_id", jobId, "partition", partition, "shuffle_objects", objects.size(),
                "rows", rows, "keys", index.size(), "chunks", ordered.size(), "scratch", inMemory ? "memory" : "disk",
                "ms", (System.nanoTime() - started) / 1_000_000);
        return new Output(partition, ordered.size(), rows);
    }

    private static int splitOf(String key, int partition, String jobId, FanOutPlan plan) {
        String name = key.substring(RunLayout.shufflePrefix(jobId, partition).length());
        int split;
        try {
            split = Integer.parseInt(name.substring(0, name.indexOf('.')));
        } catch (RuntimeException e) {
            throw new ShuffleIncomplete(key + " is not a shuffle object name chunkflow writes");
        }
        if (split < 0 || split >= plan.numSplits()) {
            throw new ShuffleIncomplete(key + " names split " + split + " of " + plan.numSplits());
        }
        return split;
    }
}
