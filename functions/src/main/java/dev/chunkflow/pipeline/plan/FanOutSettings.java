package dev.chunkflow.pipeline.plan;

import java.util.List;

import dev.chunkflow.aws.Env;
import dev.chunkflow.pipeline.source.SourceObject;
import dev.chunkflow.settings.Settings;

/**
 * When GetChunks hands planning to the fan-out path, and how that path cuts its work.
 *
 * @param thresholdBytes   fan out above this many listed source bytes ({@code FAN_OUT_THRESHOLD_BYTES})
 * @param thresholdObjects ... or above this many source objects ({@code FAN_OUT_THRESHOLD_OBJECTS})
 * @param splitBytes       a plain JSON Lines object above this is read by several split workers ({@code FAN_OUT_SPLIT_BYTES})
 * @param maxPartitions    cap on key-hash partitions (one partition worker each; a split writes at most one object per partition)
 */
public record FanOutSettings(long thresholdBytes, long thresholdObjects, long splitBytes, int maxPartitions) {
    /**
     * The one-invocation path's cap, so that both paths always use the same partition count for the same
     * listing (and so write the same chunks). A split worker keeps one scratch file open per partition, as
     * GetChunks does; a partition worker holds its partition's chunk data in its heap (source bytes / 256).
     */
    public static final int MAX_PARTITIONS = GetChunksService.Settings.MAX_PARTITIONS;

    public static FanOutSettings fromEnv(Env env) {
        return new FanOutSettings(Settings.FAN_OUT_THRESHOLD_BYTES.read(env), Settings.FAN_OUT_THRESHOLD_OBJECTS.read(env),
                Settings.FAN_OUT_SPLIT_BYTES.read(env), MAX_PARTITIONS);
    }

    public boolean applies(List<SourceObject> sources) {
        long bytes = 0;
        for (SourceObject o : sources) {
            bytes += o.size();
        }
        return bytes > thresholdBytes || sources.size() > thresholdObjects;
    }

    /** The partition count of a plan of {@code sources}: the one formula both paths use. */
    public int partitions(List<SourceObject> sources, long partitionBytes) {
        return partitionCount(sources, partitionBytes, maxPartitions);
    }

    /**
     * Partitions of about {@code partitionBytes} of rows, estimated from the listing (gzip counted 6x), at
     * most {@code max}: GetChunks and the fan-out both use this, so they hash the same keys to the same
     * partitions and plan the same chunks.
     */
    static int partitionCount(List<SourceObject> sources, long partitionBytes, int max) {
        long estimate = 0;
        for (SourceObject o : sources) {
            estimate += o.gzipped() ? o.size() * 6 : o.size();
        }
        long p = (estimate + partitionBytes - 1) / partitionBytes;
        return (int) Math.max(1, Math.min(max, p));
    }
}
