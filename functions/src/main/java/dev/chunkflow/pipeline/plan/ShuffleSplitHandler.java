package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.settings.Settings;
import dev.chunkflow.workload.Workloads;

/** Step Functions task (fan-out split map item) {@code {job_id, split: {split, source_index, key, etag, size, start, end}}} -> {@code {split, rows}}. */
public final class ShuffleSplitHandler implements RequestStreamHandler {
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final ShuffleSplitService service;

    public ShuffleSplitHandler() {
        this(Lambda.CLIENTS);
    }

    public ShuffleSplitHandler(AwsClients clients) {
        this(new ShuffleSplitService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                GetChunksService.Settings.fromEnv(clients.env()), Workloads.installed()));
    }

    public ShuffleSplitHandler(ShuffleSplitService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
        output.write(Json.bytes(service.run(jobId, Split.parse(in.get("split")))));
    }
}
