package dev.chunkflow.jobs;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.api.HttpApi;
import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Log;
import dev.chunkflow.settings.Settings;

/**
 * HTTP API {@code GET /jobs/{job_id}[?include=execution_steps]}: the job as JSON (see {@link JobView}).
 * 400 for a bad job id or include value, 404 for an unknown job; 5xx only for server-side failures.
 * A stream handler reading the HTTP API (payload 2.0) event itself ({@link HttpApi}): no POJO serialization
 * by the runtime on the first invoke.
 */
public final class GetJobHandler implements RequestStreamHandler {
    private static final String INCLUDE_STEPS = "execution_steps";

    private final JobStore store;
    private final JobView view;

    /** Lambda entry point: clients built once per execution environment. */
    public GetJobHandler() {
        this(DefaultClients.INSTANCE);
    }

    public GetJobHandler(AwsClients clients) {
        this(clients, JobView.RESPONSE_BUDGET_BYTES);
    }

    /** With a smaller response budget, so tests can cross it without multi-megabyte jobs. */
    GetJobHandler(AwsClients clients, long responseBudgetBytes) {
        long ttl = Settings.PRESIGNED_URL_TTL_SECONDS.read(clients.env());
        this.store = JobStore.fromEnv(clients);
        this.view = new JobView(store, Duration.ofSeconds(ttl), responseBudgetBytes);
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
            Optional<JobItem> item = store.get(jobId);
            if (item.isEmpty()) {
                Log.info("get job: not found", "job_id", jobId);
                return response(404, error("NotFound", "job " + jobId + " does not exist"));
            }
            Map<String, Object> body = view.render(item.get(), include);
            HttpApi.Response r = response(200, body);
            Log.info("get job", "job_id", jobId, "version", item.get().version(),
                    "execution_steps_location", item.get().stepsLocation(), "include_steps", include,
                    "response_bytes", r.body().length(), "millis", (System.nanoTime() - started) / 1_000_000);
            return r;
        } catch (InvalidInput e) {
            Log.info("get job: bad request", "field", e.field(), "reason", e.getMessage());
            return response(400, error("InvalidInput", e.getMessage()));
        } catch (RuntimeException e) {
            Log.error("get job failed", "job_id", JobId.isValid(jobId) ? jobId : null, "error", e.getClass().getName());
            return response(500, error("InternalError", "the job could not be read; see the function's logs"));
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

    private static Map<String, Object> error(String error, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("error", error);
        m.put("message", message);
        return m;
    }

    private static HttpApi.Response response(int status, Map<String, Object> body) {
        return HttpApi.Response.json(status, body, Map.of("Cache-Control", "no-store"));
    }

    private static final class DefaultClients {
        static final AwsClients INSTANCE = new AwsClients(Env.system());
    }
}
