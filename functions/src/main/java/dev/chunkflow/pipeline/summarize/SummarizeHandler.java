package dev.chunkflow.pipeline.summarize;

import dev.chunkflow.pipeline.process.JobProgress;
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
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.settings.Settings;

/**
 * Step Functions task {@code {job_id}} ->
 * {@code {job_id, summary_key, report_key, success_key, num_chunks, rows_in, rows_out, rows_rejected, duplicates_dropped}};
 * {@code {job_id, unprocessed_pass}} -> {@code {job_id, unprocessed, ids_key}}: the chunks still without a
 * result after a Distributed Map pass (SummarizeService#unprocessed), for the next pass.
 */
public final class SummarizeHandler implements RequestStreamHandler {
    private static final class ExecutionEnvironment {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final SummarizeService service;

    public SummarizeHandler() {
        this(ExecutionEnvironment.CLIENTS);
    }

    public SummarizeHandler(AwsClients clients) {
        this(new SummarizeService(new S3Io(clients.s3()), Settings.require(clients.env(), Settings.DATA_BUCKET),
                JobProgress.of(() -> JobStore.fromEnv(clients))));
    }

    public SummarizeHandler(SummarizeService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode in = Inputs.requireObject(Json.readTree(input), "$");
        String jobId = JobId.require(Inputs.requiredText(in, "job_id", "job_id"));
        JsonNode pass = in.get("unprocessed_pass");
        if (pass != null && !pass.isNull()) {
            output.write(Json.bytes(service.unprocessed(jobId, (int) Inputs.integer(pass, "unprocessed_pass", 0, 1000))));
            return;
        }
        output.write(Json.bytes(service.run(jobId)));
    }
}
