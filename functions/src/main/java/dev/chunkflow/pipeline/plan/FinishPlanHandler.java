package dev.chunkflow.pipeline.plan;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.settings.Settings;

/**
 * Step Functions task {@code {job_id, step: "collect" | "number"}}: the fan-out's step between its two maps
 * ({@code {job_id, partitions_key, num_partitions, total_rows}}) and its last step (GetChunks' output).
 */
public final class FinishPlanHandler implements RequestStreamHandler {
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final FinishPlanService service;

    public FinishPlanHandler() {
        this(Lambda.CLIENTS);
    }

    public FinishPlanHandler(AwsClients clients) {
        this(new FinishPlanService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                (int) Settings.INLINE_MAP_MAX_CHUNKS.read(clients.env())));
    }

    public FinishPlanHandler(FinishPlanService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
        String step = Inputs.requiredText(in, "step", "step");
        output.write(Json.bytes(switch (step) {
            case "collect" -> service.collect(jobId);
            case "number" -> service.number(jobId);
            default -> throw new InvalidInput("step", "must be \"collect\" or \"number\", got \"" + step + "\"");
        }));
    }
}
