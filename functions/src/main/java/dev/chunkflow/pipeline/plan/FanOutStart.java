package dev.chunkflow.pipeline.plan;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.pipeline.source.SourceObject;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.Workload;

/**
 * GetChunks' answer for a source above the fan-out thresholds: instead of planning, it cuts the listing
 * into splits and writes the plan head, the source list and the splits (the first Distributed Map's
 * items), then returns {@code {job_id, map_mode: "FAN_OUT", splits_key, num_splits, partitions}}.
 * CSV objects and gzipped objects are one split each (a quoted CSV field may span lines; gzip cannot be
 * entered mid-stream); a plain JSON Lines object is cut into byte ranges of {@code splitBytes}, and each
 * split worker reads the lines that start in its range.
 */
final class FanOutStart {
    static final String MODE = "FAN_OUT";

    private final S3Io s3;
    private final String dataBucket;
    private final FanOutSettings fanOut;
    private final GetChunksService.Settings settings;

    FanOutStart(S3Io s3, String dataBucket, FanOutSettings fanOut, GetChunksService.Settings settings) {
        this.s3 = s3;
        this.dataBucket = dataBucket;
        this.fanOut = fanOut;
        this.settings = settings;
    }

    Map<String, Object> start(String jobId, Workload workload, String bucket, String prefix, long target,
                              List<SourceObject> sources) {
        boolean rangesAllowed = workload.format() instanceof RecordFormat.JsonLines;
        List<Map<String, Object>> splits = new ArrayList<>();
        List<Map<String, Object>> listed = new ArrayList<>();
        for (int i = 0; i < sources.size(); i++) {
            SourceObject o = sources.get(i);
            listed.add(Map.of("key", o.key(), "etag", o.etag(), "size", o.size()));
            long step = rangesAllowed && !o.gzipped() && o.size() > fanOut.splitBytes() ? fanOut.splitBytes() : Math.max(1, o.size());
            long start = 0;
            do {
                long end = Math.min(o.size(), start + step);
                splits.add(new Split(splits.size(), i, o.key(), o.etag(), o.size(), start, end).toMap());
                start = end;
            } while (start < o.size());
        }
        int partitions = fanOut.partitions(sources, settings.partitionBytes());
        FanOutPlan plan = new FanOutPlan(jobId, workload.name(), bucket, prefix, target, partitions, splits.size(), sources.size());
        s3.put(dataBucket, RunLayout.fanOutSourcesKey(jobId), Json.bytes(listed), "application/json");
        s3.put(dataBucket, RunLayout.splitsKey(jobId), Json.bytes(splits), "application/json");
        s3.put(dataBucket, RunLayout.fanOutPlanKey(jobId), plan.toJson(), "application/json");
        Log.info("planning fans out", "job_id", jobId, "workload", workload.name(), "sources", sources.size(),
                "splits", splits.size(), "partitions", partitions);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", jobId);
        out.put("map_mode", MODE);
        out.put("splits_key", RunLayout.splitsKey(jobId));
        out.put("num_splits", splits.size());
        out.put("partitions", partitions);
        return out;
    }
}
