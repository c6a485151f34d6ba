package dev.chunkflow.chunks;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.runs.Inputs;
import dev.chunkflow.runs.RunLayout;
import dev.chunkflow.settings.Settings;

/**
 * Step Functions task {@code {job_id, source: {bucket?, prefix}, target_rows_per_chunk?}} ->
 * {@code {job_id, num_chunks, total_rows, manifest_key, ids_key, map_mode, chunk_ids?}}.
 */
public final class GetChunksHandler implements RequestStreamHandler {
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final GetChunksService service;

    public GetChunksHandler() {
        this(Lambda.CLIENTS);
    }

    public GetChunksHandler(AwsClients clients) {
        this(new GetChunksService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                GetChunksService.Settings.fromEnv(clients.env())));
    }

    public GetChunksHandler(GetChunksService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        GetChunksService.Request request = parse(Json.readTree(input));
        output.write(Json.bytes(service.run(request).toMap()));
    }

    static GetChunksService.Request parse(JsonNode in) {
        Inputs.requireObject(in, "$");
        String jobId = RunLayout.requireJobId(Inputs.optionalText(in, "job_id", "job_id"));
        JsonNode source = in.get("source");
        if (source == null || source.isNull()) {
            throw new dev.chunkflow.common.InvalidInput("source", "required");
        }
        Inputs.requireObject(source, "source");
        String bucket = Inputs.requireBucket(Inputs.optionalText(source, "bucket", "source.bucket"), "source.bucket");
        String prefix = Inputs.requirePrefix(Inputs.requiredText(source, "prefix", "source.prefix"), "source.prefix");
        long target = Inputs.optionalLong(in, "target_rows_per_chunk", "target_rows_per_chunk", 1,
                GetChunksService.Settings.MAX_TARGET_ROWS, 0);
        return new GetChunksService.Request(jobId, bucket, prefix, target);
    }
}
