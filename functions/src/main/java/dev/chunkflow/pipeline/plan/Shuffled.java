package dev.chunkflow.pipeline.plan;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code runs/{job_id}/fanout/shuffled.json}, what the collect step learned from every split's result:
 * each split's first line in its object (0 for whole objects), rows per partition and per source.
 * Numbers only: a few bytes per split and per partition.
 */
record Shuffled(long[] lineOffsets, long[] partitionRows, long[] sourceRows) {

    long lineOffset(int split) {
        return lineOffsets[split];
    }

    long partitionRows(int partition) {
        return partitionRows[partition];
    }

    long totalRows() {
        long total = 0;
        for (long r : sourceRows) {
            total += r;
        }
        return total;
    }

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("line_offsets", lineOffsets);
        m.put("partition_rows", partitionRows);
        m.put("source_rows", sourceRows);
        return Json.bytes(m);
    }

    static Shuffled read(S3Io s3, String dataBucket, String jobId, FanOutPlan plan) {
        String key = RunLayout.shuffledKey(jobId);
        JsonNode n;
        try {
            n = Json.readTree(s3.getBytes(dataBucket, key));
        } catch (NoSuchKeyException e) {
            throw new ShuffleIncomplete("job " + jobId + ": " + key + " is missing (the collect step has not run)");
        } catch (dev.chunkflow.common.InvalidInput e) {
            throw new ShuffleIncomplete(key + " is not JSON");
        }
        long[] lines = longs(n.path("line_offsets"), plan.numSplits(), key);
        long[] partitions = longs(n.path("partition_rows"), plan.partitions(), key);
        long[] sources = longs(n.path("source_rows"), plan.numSources(), key);
        return new Shuffled(lines, partitions, sources);
    }

    private static long[] longs(JsonNode array, int expected, String key) {
        if (!array.isArray() || array.size() != expected) {
            throw new ShuffleIncomplete(key + " is not one chunkflow wrote for this plan");
        }
        long[] out = new long[expected];
        for (int i = 0; i < expected; i++) {
            out[i] = array.get(i).asLong();
        }
        return out;
    }
}
