package dev.chunkflow.local.bench.coldstart;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;

/** The events a cold start is invoked with: copies of {@code events/*.json} pointed at the prepared job, written under {@code dir}. */
final class SampleEvents {
    private final Path repo;
    private final Path dir;
    private final String prefix;
    private final int numChunks;
    private String fanOutJob;
    private JsonNode fanOutSplit;
    private int fanOutPartition;

    /** {@code prefix}: the prepared job's input; {@code numChunks}: its chunks, which ProcessChunk's rounds take in turn. */
    SampleEvents(Path repo, Path dir, String prefix, int numChunks) {
        this.repo = repo;
        this.dir = dir;
        this.prefix = prefix;
        this.numChunks = numChunks;
    }

    /** A job planned by the fan-out path: one of its splits and partitions, for the fan-out functions' events. */
    void fanOut(String jobId, JsonNode split, int partition) {
        this.fanOutJob = jobId;
        this.fanOutSplit = split;
        this.fanOutPartition = partition;
    }

    Path floor() throws IOException {
        Path p = dir.resolve("floor.json");
        if (!Files.exists(p)) {
            Files.writeString(p, "{\"name\": \"cold start\"}");
        }
        return p;
    }

    /** The function's sample event for one round (a fresh job where the function starts one); null for an unknown function. */
    Path of(Target t, int round) throws IOException {
        String startedJob = "coldstart-start-" + round;
        ObjectNode e;
        switch (t.name()) {
            case "StartJobFunction" -> {
                e = (ObjectNode) read("start-job.json");
                ObjectNode body = (ObjectNode) Json.readTree(e.path("body").asText().getBytes(StandardCharsets.UTF_8));
                body.put("job_id", startedJob);
                ((ObjectNode) body.path("source")).put("prefix", prefix);
                body.put("target_rows_per_chunk", ColdStart.CHUNK_ROWS);
                e.put("body", body.toString());
            }
            case "GetJobFunction" -> {
                e = (ObjectNode) read("get-job.json");
                e.put("rawPath", "/jobs/" + ColdStart.JOB_ID);
                ((ObjectNode) e.path("pathParameters")).put("job_id", ColdStart.JOB_ID);
                ((ObjectNode) e.path("requestContext").path("http")).put("path", "/jobs/" + ColdStart.JOB_ID);
            }
            case "UpdateJobFunction" -> {
                e = (ObjectNode) read("update-job-running.json");
                e.put("job_id", startedJob);
                ((ObjectNode) e.path("fields")).put("execution_arn", AcceptingStepFunctions.ARN_PREFIX + startedJob);
            }
            case "GetChunksFunction" -> {
                e = (ObjectNode) read("get-chunks.json");
                e.put("job_id", "coldstart-chunks-" + round);
                ((ObjectNode) e.path("source")).put("prefix", prefix);
                e.put("target_rows_per_chunk", ColdStart.CHUNK_ROWS);
            }
            case "ProcessChunkFunction" -> {
                e = (ObjectNode) read("process-chunk.json");
                e.put("job_id", ColdStart.JOB_ID);
                e.put("chunk_id", round % numChunks);
            }
            case "SummarizeFunction" -> {
                e = (ObjectNode) read("summarize.json");
                e.put("job_id", ColdStart.JOB_ID);
            }
            case "OrphanCollectorFunction" -> {
                // the scheduled event, as a dry run: the same listing and reads, nothing deleted
                e = (ObjectNode) read("orphan-collector.json");
                e.put("dry_run", true);
            }
            // the fan-out workers, re-run on the prepared fan-out job (each rewrites identical objects)
            case "ShuffleSplitFunction" -> {
                e = (ObjectNode) read("shuffle-split.json");
                e.put("job_id", fanOutJob);
                e.set("split", fanOutSplit);
            }
            case "PlanPartitionFunction" -> {
                e = (ObjectNode) read("plan-partition.json");
                e.put("job_id", fanOutJob);
                e.put("partition", fanOutPartition);
            }
            case "FinishPlanFunction" -> {
                e = (ObjectNode) read("finish-plan.json");
                e.put("job_id", fanOutJob);
            }
            default -> {
                return null;
            }
        }
        Path p = dir.resolve(t.name() + "-" + round + ".json");
        Files.write(p, Json.bytes(e));
        return p;
    }

    private JsonNode read(String name) throws IOException {
        return Json.readTree(Files.readAllBytes(repo.resolve("events").resolve(name)));
    }
}
