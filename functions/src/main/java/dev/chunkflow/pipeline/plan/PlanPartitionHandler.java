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

/** Step Functions task (fan-out partition map item) {@code {job_id, partition}} -> {@code {partition, chunks, rows}}. */
public final class PlanPartitionHandler implements RequestStreamHandler {
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final PlanPartitionService service;

    public PlanPartitionHandler() {
        this(Lambda.CLIENTS);
    }

    public PlanPartitionHandler(AwsClients clients) {
        this(new PlanPartitionService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                GetChunksService.Settings.fromEnv(clients.env()), Workloads.installed()));
    }

    public PlanPartitionHandler(PlanPartitionService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
        int partition = (int) Inputs.integer(in.get("partition"), "partition", 0, FanOutSettings.MAX_PARTITIONS - 1);
        output.write(Json.bytes(service.run(jobId, partition)));
    }
}
