package dev.chunkflow.pipeline.plan;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

/**
 * {@code runs/{job_id}/fanout/plan.json}: what every fan-out worker of a job shares (a few hundred bytes),
 * written by GetChunks before the first map starts.
 */
record FanOutPlan(String jobId, String workload, String bucket, String prefix, long targetRows, int partitions,
                  int numSplits, int numSources) {

    byte[] toJson() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", jobId);
        m.put("workload", workload);
        m.put("bucket", bucket);
        m.put("prefix", prefix);
        m.put("target_rows_per_chunk", targetRows);
        m.put("partitions", partitions);
        m.put("num_splits", numSplits);
        m.put("num_sources", numSources);
        return Json.bytes(m);
    }

    /** The job's plan; {@link InvalidInput} on {@code job_id} when GetChunks has not started a fan-out for it. */
    static FanOutPlan read(S3Io s3, String dataBucket, String jobId) {
        String key = RunLayout.fanOutPlanKey(jobId);
        JsonNode n;
        try {
            n = Json.readTree(s3.getBytes(dataBucket, key));
        } catch (NoSuchKeyException e) {
            throw new InvalidInput("job_id", "job " + jobId + " has no fan-out plan (" + key + ")");
        } catch (InvalidInput e) {
            throw new InvalidManifest(key + " is not JSON", e);
        }
        if (!n.path("job_id").asText("").equals(jobId) || n.path("partitions").asInt(0) < 1) {
            throw new InvalidManifest(key + " is not a fan-out plan of job " + jobId, null);
        }
        return new FanOutPlan(jobId, n.path("workload").asText(), n.path("bucket").asText(), n.path("prefix").asText(),
                n.path("target_rows_per_chunk").asLong(), n.path("partitions").asInt(), n.path("num_splits").asInt(),
                n.path("num_sources").asInt());
    }
}
