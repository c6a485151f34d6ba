package dev.chunkflow.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;
import dev.chunkflow.offload.JsonValues;

/**
 * Step Functions task: applies one {@link JobUpdate} and returns a result of a few hundred bytes
 * ({@code job_id, version, status, execution_steps_location, item_bytes}), whatever the job's size.
 * Bad input fails with {@code dev.chunkflow.common.InvalidInput} naming the field.
 */
public final class UpdateJobHandler implements RequestStreamHandler {
    private final JobStore store;

    /** Lambda entry point: clients built once per execution environment. */
    public UpdateJobHandler() {
        this(ExecutionEnvironment.INSTANCE);
    }

    public UpdateJobHandler(AwsClients clients) {
        this.store = JobStore.fromEnv(clients);
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JobUpdate update = UpdateJobRequest.parse(JsonValues.readInput(input));
        JobStore.UpdateResult r = store.update(update);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", r.jobId());
        out.put("version", r.version());
        out.put("status", r.status());
        out.put("execution_steps_location", r.executionStepsLocation());
        out.put("item_bytes", r.itemBytes());
        output.write(Json.bytes(out));
    }

    private static final class ExecutionEnvironment {
        static final AwsClients INSTANCE = new AwsClients(Env.system());
    }
}
