package dev.chunkflow.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Lazy;
import dev.chunkflow.common.Log;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.settings.Settings;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * {@code POST /jobs} (HTTP API): 202 {@code {job_id, execution_arn, status_url}}; 400 with
 * {@code {error, field, message}} for a bad request; 502 when Step Functions refuses the start.
 * A stream handler reading the HTTP API (payload 2.0) event itself ({@link HttpApi}): no POJO serialization
 * by the runtime on the first invoke.
 */
public final class StartJobHandler implements RequestStreamHandler {
    private static final class ExecutionEnvironment {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final long maxConcurrency;
    /** Built on the first valid request: a 400 never pays for the DynamoDB and Step Functions clients. */
    private final Lazy<StartJobService> service;

    public StartJobHandler() {
        this(ExecutionEnvironment.CLIENTS);
    }

    public StartJobHandler(AwsClients clients) {
        this.maxConcurrency = Settings.PROCESS_CHUNK_RESERVED_CONCURRENCY.read(clients.env());
        this.service = new Lazy<>(() -> new StartJobService(JobStore.fromEnv(clients), clients.sfn(),
                Settings.require(clients.env(), Settings.STATE_MACHINE_ARN)));
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        handle(HttpApi.Request.read(input)).write(output);
    }

    /** One request, as the handler answers it (tests call it with the sample events of {@code events/}). */
    public HttpApi.Response handle(HttpApi.Request event) {
        String method = event.method();
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            return HttpApi.Response.error(405, "MethodNotAllowed", null, "use POST /jobs");
        }
        StartJobRequest request;
        try {
            request = StartJobRequest.parse(event.decodedBody(), maxConcurrency);
        } catch (InvalidInput e) {
            return HttpApi.Response.badRequest(e);
        }
        StartJobService.Accepted accepted;
        try {
            accepted = service.get().start(request);
        } catch (SfnException e) {
            String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
            Log.error("StartExecution failed", "error", code, "status", e.statusCode());
            return HttpApi.Response.error(502, "StartExecutionFailed", null, "Step Functions refused the start: " + code);
        } catch (RuntimeException e) {
            Log.error("start job failed", "error", e.getClass().getName());
            return HttpApi.Response.error(500, "InternalError", null, "the job could not be started; see the function's logs");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("job_id", accepted.jobId());
        out.put("execution_arn", accepted.executionArn());
        String statusUrl = statusUrl(event, accepted.jobId());
        out.put("status_url", statusUrl);
        return HttpApi.Response.json(202, out, Map.of("Location", statusUrl));
    }

    static String statusUrl(HttpApi.Request event, String jobId) {
        String domain = event.domainName();
        if (domain == null || domain.isBlank()) {
            return "/jobs/" + jobId;
        }
        String stage = event.stage();
        String base = "https://" + domain
                + (stage == null || stage.isBlank() || "$default".equals(stage) ? "" : "/" + stage);
        return base + "/jobs/" + jobId;
    }
}
