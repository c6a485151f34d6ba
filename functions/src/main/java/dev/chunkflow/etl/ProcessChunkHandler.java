package dev.chunkflow.etl;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.settings.Settings;
import dev.chunkflow.chunks.Manifest;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.runs.Inputs;
import dev.chunkflow.runs.RunLayout;

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

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        Map<String, Object> out = new LinkedHashMap<>();
        if (in.has("Items")) {
            JsonNode batchInput = Inputs.requireObject(in.get("BatchInput"), "BatchInput");
            String jobId = RunLayout.requireJobId(Inputs.requiredText(batchInput, "job_id", "BatchInput.job_id"));
            List<Integer> ids = chunkIds(in.get("Items"));
            Manifest head = service.manifestHead(jobId);
            long rowsIn = 0;
            long rowsOut = 0;
            long rejected = 0;
            long duplicates = 0;
            for (int id : ids) {
                ProcessChunkService.Outcome o = service.process(jobId, id, head);
                rowsIn += o.rowsIn();
                rowsOut += o.rowsOut();
                rejected += o.rowsRejected();
                duplicates += o.duplicatesDropped();
            }
            out.put("chunk_ids", ids);
            put(out, rowsIn, rowsOut, rejected, duplicates);
        } else {
            String jobId = RunLayout.requireJobId(Inputs.optionalText(in, "job_id", "job_id"));
            JsonNode idNode = in.get("chunk_id");
            if (idNode == null || idNode.isNull()) {
                throw new InvalidInput("chunk_id", "required");
            }
            int chunkId = (int) Inputs.integer(idNode, "chunk_id", 0, Integer.MAX_VALUE);
            ProcessChunkService.Outcome o = service.process(jobId, chunkId, service.manifestHead(jobId));
            out.put("chunk_id", chunkId);
            put(out, o.rowsIn(), o.rowsOut(), o.rowsRejected(), o.duplicatesDropped());
        }
        output.write(Json.bytes(out));
    }

    private static void put(Map<String, Object> out, long rowsIn, long rowsOut, long rejected, long duplicates) {
        out.put("rows_in", rowsIn);
        out.put("rows_out", rowsOut);
        out.put("rows_rejected", rejected);
        out.put("duplicates_dropped", duplicates);
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
