package dev.chunkflow.api;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Log;
import dev.chunkflow.jobs.GetJobService;
import dev.chunkflow.jobs.JobId;

/**
 * HTTP API {@code GET /jobs/{job_id}[?include=execution_steps]}: the job as JSON (see {@link GetJobService}).
 * 400 for a bad job id or include value, 404 for an unknown job; 5xx only for server-side failures.
 * A stream handler reading the HTTP API (payload 2.0) event itself ({@link HttpApi}): no POJO serialization
 * by the runtime on the first invoke.
 */
public final class GetJobHandler implements RequestStreamHandler {
    private static final String INCLUDE_STEPS = "execution_steps";

    private static final class ExecutionEnvironment {
        static final AwsClients CLIENTS = new AwsClients(Env.system());
    }

    private final GetJobService service;

    /** Lambda entry point: clients built once per execution environment. */
    public GetJobHandler() {
        this(ExecutionEnvironment.CLIENTS);
    }

    public GetJobHandler(AwsClients clients) {
        this(GetJobService.fromEnv(clients));
    }

    public GetJobHandler(GetJobService service) {
        this.service = service;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        handle(HttpApi.Request.read(input)).write(output);
    }

    /** One request, as the handler answers it (tests call it with the sample events of {@code events/}). */
    public HttpApi.Response handle(HttpApi.Request event) {
        long started = System.nanoTime();
        String jobId = null;
        try {
            jobId = jobId(event);
            JobId.require(jobId);
            boolean include = includeSteps(event);
            Optional<GetJobService.Found> found = service.get(jobId, include);
            if (found.isEmpty()) {
                Log.info("get job: not found", "job_id", jobId);
                return HttpApi.Response.error(404, "NotFound", null, "job " + jobId + " does not exist");
            }
            HttpApi.Response r = HttpApi.Response.json(200, found.get().body(), Map.of("Cache-Control", "no-store"));
            Log.info("get job", "job_id", jobId, "version", found.get().version(),
                    "execution_steps_location", found.get().stepsLocation(), "include_steps", include,
                    "response_bytes", r.body().length(), "millis", (System.nanoTime() - started) / 1_000_000);
            return r;
        } catch (InvalidInput e) {
            Log.info("get job: bad request", "field", e.field(), "reason", e.getMessage());
            return HttpApi.Response.badRequest(e);
        } catch (RuntimeException e) {
            Log.error("get job failed", "job_id", JobId.isValid(jobId) ? jobId : null, "error", e.getClass().getName());
            return HttpApi.Response.error(500, "InternalError", null, "the job could not be read; see the function's logs");
        }
    }

    private static String jobId(HttpApi.Request event) {
        Map<String, String> path = event == null ? null : event.pathParameters();
        if (path != null && path.get("job_id") != null) {
            return path.get("job_id");
        }
        String raw = event == null ? null : event.rawPath();
        if (raw != null && raw.startsWith("/jobs/") && raw.length() > "/jobs/".length()) {
            return raw.substring("/jobs/".length());
        }
        throw new InvalidInput("job_id", "is required in the path /jobs/{job_id}");
    }

    private static boolean includeSteps(HttpApi.Request event) {
        Map<String, String> query = event.queryStringParameters();
        String include = query == null ? null : query.get("include");
        if (include == null || include.isBlank()) {
            return false;
        }
        boolean steps = false;
        for (String part : include.split(",")) {
            String p = part.trim();
            if (p.equals(INCLUDE_STEPS)) {
                steps = true;
            } else if (!p.isEmpty()) {
                throw new InvalidInput("include", "unknown value '" + (p.length() > 40 ? p.substring(0, 40) : p)
                        + "'; supported: " + Arrays.asList(INCLUDE_STEPS));
            }
        }
        return steps;
    }
}
