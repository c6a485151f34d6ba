package dev.chunkflow.pipeline.process;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.settings.Settings;
import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.pipeline.runs.RunLayout;

/**
 * Step Functions task, two input forms:
 * {@code {job_id, chunk_id}} (inline Map) -> {@code {chunk_id, rows_in, rows_out, rows_rejected, duplicates_dropped}};
 * {@code {"Items": [ids], "BatchInput": {job_id}, "child_started"?}} (Distributed Map with ItemBatcher) ->
 * {@code {chunk_ids, unprocessed, rows_in, rows_out, rows_rejected, duplicates_dropped}} summed over the
 * chunks taken ({@code chunk_ids}); a batch stops taking chunks at its {@link BatchDeadline} and answers
 * the rest as {@code unprocessed}, which the state machine processes in another pass.
 */
public final class ProcessChunkHandler implements RequestStreamHandler {
    /** Bounds the batch (and so the output listing its ids). */
    public static final int MAX_BATCH = 1000;

    private static final class ExecutionEnvironment {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final ProcessChunkService service;
    private final Duration batchBudget;

    public ProcessChunkHandler() {
        this(ExecutionEnvironment.CLIENTS);
    }

    public ProcessChunkHandler(AwsClients clients) {
        this(new ProcessChunkService(new S3Io(tokenSecretConfigured(clients).s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                () -> TokenSecret.resolve(clients.env(), clients::secretsManager),
                JobProgress.of(() -> JobStore.fromEnv(clients))),
                Duration.ofSeconds(Settings.BATCH_TIME_BUDGET_SECONDS.read(clients.env())));
    }

    /** Fails the init, not the first chunk, when the token secret is not configured on Lambda. */
    private static AwsClients tokenSecretConfigured(AwsClients clients) {
        TokenSecret.requireConfigured(clients.env());
        return clients;
    }

    public ProcessChunkHandler(ProcessChunkService service) {
        this(service, Duration.ofSeconds(Settings.BATCH_TIME_BUDGET_SECONDS.defaultValue()));
    }

    public ProcessChunkHandler(ProcessChunkService service, Duration batchBudget) {
        this.service = service;
        this.batchBudget = batchBudget;
    }

    /** The task's result: the chunk id (or the batch's ids) and the row counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Response(@JsonProperty("chunk_id") Integer chunkId, @JsonProperty("chunk_ids") List<Integer> chunkIds,
                    @JsonProperty("unprocessed") List<Integer> unprocessed, @JsonUnwrapped RowCounts rows) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        Response response;
        if (in.has("Items")) {
            JsonNode batchInput = Inputs.requireObject(in.get("BatchInput"), "BatchInput");
            String jobId = JobId.require(Inputs.requiredText(batchInput, "job_id", "BatchInput.job_id"));
            List<Integer> ids = chunkIds(in.get("Items"));
            Manifest head = service.manifestHead(jobId);
            BatchDeadline deadline = BatchDeadline.of(Instant.now(),
                    context == null ? null : Duration.ofMillis(context.getRemainingTimeInMillis()),
                    childStarted(in.get("child_started")), batchBudget);
            RowCounts total = RowCounts.ZERO;
            Duration longest = Duration.ZERO;
            List<Integer> taken = new ArrayList<>(ids.size());
            for (int id : ids) {
                Instant started = Instant.now();
                if (!deadline.allows(started, longest, taken.isEmpty())) {
                    break;
                }
                total = total.plus(service.process(jobId, id, head).rows());
                taken.add(id);
                Duration took = Duration.between(started, Instant.now());
                longest = took.compareTo(longest) > 0 ? took : longest;
            }
            List<Integer> unprocessed = ids.subList(taken.size(), ids.size());
            if (!unprocessed.isEmpty()) {
                Log.info("batch stopped before its deadline", "job_id", jobId, "chunks_taken", taken.size(),
                        "chunks_unprocessed", unprocessed.size(), "longest_chunk_ms", longest.toMillis());
            }
            response = new Response(null, taken, List.copyOf(unprocessed), total);
        } else {
            String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
            JsonNode idNode = in.get("chunk_id");
            if (idNode == null || idNode.isNull()) {
                throw new InvalidInput("chunk_id", "required");
            }
            int chunkId = (int) Inputs.integer(idNode, "chunk_id", 0, Integer.MAX_VALUE);
            response = new Response(chunkId, null, null, service.process(jobId, chunkId, service.manifestHead(jobId)).rows());
        }
        output.write(Json.bytes(response));
    }

    private static Instant childStarted(JsonNode node) {
        if (node == null || node.isNull()) {
            return null;
        }
        try {
            return Instant.parse(node.asText());
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInput("child_started", "must be an ISO-8601 instant ($$.Execution.StartTime), got '"
                    + node.asText() + "'");
        }
    }

    private static List<Integer> chunkIds(JsonNode items) {
        if (items == null || !items.isArray() || items.isEmpty()) {
            throw new InvalidInput("Items", "must be a non-empty array of chunk ids");
        }
        if (items.size() > MAX_BATCH) {
            throw new InvalidInput("Items", "at most " + MAX_BATCH + " chunk ids per batch, got " + items.size());
        }
        List<Integer> ids = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            ids.add((int) Inputs.integer(items.get(i), "Items[" + i + "]", 0, Integer.MAX_VALUE));
        }
        return ids;
    }
}
