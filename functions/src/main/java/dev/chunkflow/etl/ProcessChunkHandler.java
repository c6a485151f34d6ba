package dev.chunkflow.etl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
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
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.common.Inputs;

/**
 * Step Functions task, two input forms:
 * {@code {job_id, chunk_id}} (inline Map) -> {@code {chunk_id, rows_in, rows_out, rows_rejected, duplicates_dropped}};
 * {@code {"Items": [ids], "BatchInput": {job_id}}} (Distributed Map with ItemBatcher) ->
 * {@code {chunk_ids, rows_in, rows_out, rows_rejected, duplicates_dropped}} summed over the batch.
 */
public final class ProcessChunkHandler implements RequestStreamHandler {
    /** Bounds the batch (and so the output listing its ids). */
    public static final int MAX_BATCH = 1000;

    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final ProcessChunkService service;

    public ProcessChunkHandler() {
        this(Lambda.CLIENTS);
    }

    public ProcessChunkHandler(AwsClients clients) {
        this(new ProcessChunkService(new S3Io(tokenSecretConfigured(clients).s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                () -> TokenSecret.resolve(clients.env(), clients::secretsManager),
                JobProgress.of(() -> JobStore.fromEnv(clients))));
    }

    /** Fails the init, not the first chunk, when the token secret is not configured on Lambda. */
    private static AwsClients tokenSecretConfigured(AwsClients clients) {
        TokenSecret.requireConfigured(clients.env());
        return clients;
    }

    public ProcessChunkHandler(ProcessChunkService service) {
        this.service = service;
    }

    /** The task's result: the chunk id (or the batch's ids) and the row counts. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Response(@JsonProperty("chunk_id") Integer chunkId, @JsonProperty("chunk_ids") List<Integer> chunkIds,
                    @JsonUnwrapped RowCounts rows) {
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        Response response;
        if (in.has("Items")) {
            JsonNode batchInput = Inputs.requireObject(in.get("BatchInput"), "BatchInput");
            String jobId = JobId.require(Inputs.requiredText(batchInput, "job_id", "BatchInput.job_id"));
            List<Integer> ids = chunkIds(in.get("Items"));
            response = new Response(null, ids, service.processBatch(jobId, ids));
        } else {
            String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
            JsonNode idNode = in.get("chunk_id");
            if (idNode == null || idNode.isNull()) {
                throw new InvalidInput("chunk_id", "required");
            }
            int chunkId = (int) Inputs.integer(idNode, "chunk_id", 0, Integer.MAX_VALUE);
            response = new Response(chunkId, null, service.process(jobId, chunkId, service.manifestHead(jobId)).rows());
        }
        output.write(Json.bytes(response));
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
