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
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final AwsClients clients;
    private final long maxConcurrency;
    private volatile StartJobService service;

    public StartJobHandler() {
        this(Lambda.CLIENTS);
    }

    public StartJobHandler(AwsClients clients) {
        this.clients = clients;
        this.maxConcurrency = Settings.PROCESS_CHUNK_RESERVED_CONCURRENCY.read(clients.env());
    }

    private StartJobService service() {
        StartJobService s = service;
        if (s == null) {
            synchronized (this) {
                if (service == null) {
                    service = new StartJobService(JobStore.fromEnv(clients), clients.sfn(),
                            Settings.require(clients.env(), Settings.STATE_MACHINE_ARN));
                }
                s = service;
            }
        }
        return s;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        handle(HttpApi.Request.read(input)).write(output);
    }

    /** One request, as the handler answers it (tests call it with the sample events of {@code events/}). */
    public HttpApi.Response handle(HttpApi.Request event) {
        String method = event.method();
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            return json(405, Map.of("error", "MethodNotAllowed", "message", "use POST /jobs"));
        }
        StartJobRequest request;
        try {
            request = StartJobRequest.parse(event.decodedBody(), maxConcurrency);
        } catch (InvalidInput e) {
            Map<String, Object> err = new LinkedHashMap<>();
            err.put("error", "InvalidInput");
            err.put("field", e.field());
            err.put("message", e.getMessage());
            return json(400, err);
        }
        StartJobService.Accepted accepted;
        try {
            accepted = service().start(request);
        } catch (SfnException e) {
            String code = e.awsErrorDetails() == null ? "unknown" : e.awsErrorDetails().errorCode();
            Log.error("StartExecution failed", "error", code, "status", e.statusCode());
            return json(502, Map.of("error", "StartExecutionFailed", "message", "Step Functions refused the start: " + code));
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

    private static HttpApi.Response json(int status, Map<String, ?> body) {
        return HttpApi.Response.json(status, body, Map.of());
    }
}
