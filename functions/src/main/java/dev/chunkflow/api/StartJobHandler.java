package dev.chunkflow.api;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.jobs.JobStore;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * {@code POST /jobs} (HTTP API): 202 {@code {job_id, execution_arn, status_url}}; 400 with
 * {@code {error, field, message}} for a bad request; 502 when Step Functions refuses the start.
 */
public final class StartJobHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {
    private static final class Lambda {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final AwsClients clients;
    private volatile StartJobService service;

    public StartJobHandler() {
        this(Lambda.CLIENTS);
    }

    public StartJobHandler(AwsClients clients) {
        this.clients = clients;
    }

    private StartJobService service() {
        StartJobService s = service;
        if (s == null) {
            synchronized (this) {
                if (service == null) {
                    service = new StartJobService(JobStore.fromEnv(clients), clients.sfn(),
                            clients.env().require("STATE_MACHINE_ARN"));
                }
                s = service;
            }
        }
        return s;
    }

    @Override
    public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
        String method = event.getRequestContext() != null && event.getRequestContext().getHttp() != null
                ? event.getRequestContext().getHttp().getMethod() : null;
        if (method != null && !"POST".equalsIgnoreCase(method)) {
            return json(405, Map.of("error", "MethodNotAllowed", "message", "use POST /jobs"));
        }
        StartJobRequest request;
        try {
            request = StartJobRequest.parse(body(event));
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
        out.put("status_url", statusUrl(event, accepted.jobId()));
        APIGatewayV2HTTPResponse r = json(202, out);
        r.getHeaders().put("Location", (String) out.get("status_url"));
        return r;
    }

    private static String body(APIGatewayV2HTTPEvent event) {
        String body = event.getBody();
        if (body != null && event.getIsBase64Encoded()) {
            try {
                return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
            } catch (IllegalArgumentException e) {
                throw new InvalidInput("$", "body is flagged base64 but is not valid base64");
            }
        }
        return body;
    }

    static String statusUrl(APIGatewayV2HTTPEvent event, String jobId) {
        var ctx = event.getRequestContext();
        if (ctx == null || ctx.getDomainName() == null || ctx.getDomainName().isBlank()) {
            return "/jobs/" + jobId;
        }
        String stage = ctx.getStage();
        String base = "https://" + ctx.getDomainName()
                + (stage == null || stage.isBlank() || "$default".equals(stage) ? "" : "/" + stage);
        return base + "/jobs/" + jobId;
    }

    private static APIGatewayV2HTTPResponse json(int status, Map<String, ?> body) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("Content-Type", "application/json");
        return APIGatewayV2HTTPResponse.builder().withStatusCode(status).withHeaders(headers)
                .withBody(Json.string(body)).build();
    }
}
