package dev.chunkflow.pipeline.plan;

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
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import dev.chunkflow.pipeline.runs.SourceSpec;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.settings.Settings;

/**
 * Step Functions task {@code {job_id, source: {bucket?, prefix}, target_rows_per_chunk?, workload?}} ->
 * {@code {job_id, num_chunks, total_rows, manifest_key, ids_key, map_mode, chunk_ids?}}, or, for a source above the
 * fan-out thresholds, {@code {job_id, map_mode: "FAN_OUT", splits_key, num_splits, partitions}} (see {@link FanOutStart}).
 */
public final class GetChunksHandler implements RequestStreamHandler {
    private static final class ExecutionEnvironment {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final GetChunksService service;

    public GetChunksHandler() {
        this(ExecutionEnvironment.CLIENTS);
    }

    public GetChunksHandler(AwsClients clients) {
        this(new GetChunksService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                GetChunksService.Settings.fromEnv(clients.env()), Workloads.installed(),
                clients.env().get(Settings.DEFAULT_WORKLOAD).orElse(WorkloadNames.BUILT_IN_DEFAULT))
                .withFanOut(FanOutSettings.fromEnv(clients.env())));
    }

    public GetChunksHandler(GetChunksService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        GetChunksService.Request request = parse(Json.readTree(input), service.defaultWorkload());
        output.write(Json.bytes(service.plan(request)));
    }

    static GetChunksService.Request parse(JsonNode in, String defaultWorkload) {
        Inputs.requireObject(in, "$");
        String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
        SourceSpec source = SourceSpec.parse(in.get("source"));
        long target = Inputs.optionalLong(in, "target_rows_per_chunk", "target_rows_per_chunk", 1,
                GetChunksService.Settings.MAX_TARGET_ROWS, 0);
        String workload = Inputs.optionalText(in, "workload", "workload");
        return new GetChunksService.Request(jobId, source.bucket(), source.prefix(), target,
                workload != null ? workload : defaultWorkload);
    }
}
