package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.api.GetJobHandler;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.offload.JsonValues;
import dev.chunkflow.testkit.ApiEvents;
import dev.chunkflow.testkit.ApiEvents.Response;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

@ExtendWith(AwsExtension.class)
class GetJobHandlerTest {

    private static ObjectNode request(String jobId, String include) {
        ObjectNode e = ApiEvents.load("get-job.json");
        e.putObject("pathParameters").put("job_id", jobId);
        e.put("rawPath", "/jobs/" + jobId);
        ObjectNode query = e.putObject("queryStringParameters");
        if (include != null) {
            query.put("include", include);
        }
        return e;
    }

    private static JsonNode body(Response r) {
        return r.json();
    }

    private static String steps(JsonNode body) {
        return json(JsonValues.parse(Json.bytes(body.get("execution_steps"))));
    }

    /** the sample event, after the sample updates, returns the job. */
    @Test
    void sampleEventReturnsTheJob(EmbeddedAws aws) throws Exception {
        UpdateJobHandler update = new UpdateJobHandler(aws.clients());
        ObjectNode event = ApiEvents.load("get-job.json");
        String id = event.path("pathParameters").path("job_id").asText();
        for (String file : List.of("update-job-running.json", "update-job-append-steps.json")) {
            UpdateJobHandlerTest.invoke(update, UpdateJobHandlerTest.event(file, id));
        }
        Response r = ApiEvents.invoke(new GetJobHandler(aws.clients()), event);
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().get("Content-Type"));
        JsonNode b = body(r);
        assertEquals(id, b.get("job_id").asText());
        assertEquals("RUNNING", b.get("status").asText());
        assertEquals("inline", b.get("execution_steps_location").asText());
        assertEquals(2, b.get("execution_steps").size());
        assertEquals("GetChunks", b.get("execution_steps").get(0).get("name").asText());
        assertEquals(199120, b.get("rows_out").asLong());
    }

    /** Inline steps in full; offloaded: preview + a presigned URL that really downloads the steps. */
    @Test
    void returnsFullStepsAndAWorkingPresignedUrl(EmbeddedAws aws) throws Exception {
        JobStore store = store(aws);
        GetJobHandler handler = new GetJobHandler(aws.clients());
        String small = newJobId("get-inline");
        List<Map<String, Object>> few = TestJobs.steps("few", 3, 900);
        store.update(JobUpdate.builder(small).appendSteps(few).build());
        assertEquals(json(few), steps(body(ApiEvents.invoke(handler, request(small, null)))));

        String big = newJobId("get-s3");
        List<Map<String, Object>> many = TestJobs.steps("many", 100, 1_000_000);
        store.update(JobUpdate.builder(big).appendSteps(many).build());
        JsonNode b = body(ApiEvents.invoke(handler, request(big, null)));
        assertEquals("s3", b.get("execution_steps_location").asText());
        assertNull(b.get("execution_steps"), "not included unless asked");
        assertEquals(100, b.get("execution_steps_count").asInt());
        assertEquals(5, b.get("execution_steps_preview").size());
        assertEquals(3600, b.get("execution_steps_s3_url_expires_in_seconds").asInt());
        assertNull(b.get("execution_steps_s3_key"));

        HttpResponse<byte[]> download = HttpClient.newHttpClient().send(
                HttpRequest.newBuilder(URI.create(b.get("execution_steps_s3_url").asText())).build(),
                HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, download.statusCode());
        assertEquals("gzip", download.headers().firstValue("Content-Encoding").orElse(null));
        assertEquals(json(many), new String(gunzip(download.body()), StandardCharsets.UTF_8));

        JsonNode included = body(ApiEvents.invoke(handler, request(big, "execution_steps")));
        assertEquals(json(many), steps(included));
        assertNull(included.get("execution_steps_not_included"));
    }

    /** Steps that would take the response past its budget stay behind the URL, and the response says why. */
    @Test
    void stepsAboveTheResponseBudgetAreNotInlined(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("get-budget");
        store.update(JobUpdate.builder(id).appendSteps(TestJobs.steps("b", 10, 600_000)).build());
        Response r = ApiEvents.invoke(new GetJobHandler(new GetJobService(store, java.time.Duration.ofMinutes(5), 500_000)), request(id, "execution_steps"));
        assertEquals(200, r.statusCode());
        JsonNode b = body(r);
        assertNull(b.get("execution_steps"));
        assertTrue(b.get("execution_steps_not_included").asText().contains("budget of 500000 bytes"));
        assertTrue(b.get("execution_steps_s3_url").asText().startsWith("http"));
        assertTrue(r.body().length() < 500_000);
    }

    /** Offloaded attributes are resolved in the response. */
    @Test
    void resolvesOffloadedAttributes(EmbeddedAws aws) {
        String id = newJobId("get-ref");
        String report = "<html>" + "x".repeat(350_000) + "</html>";
        store(aws).createIfAbsent(id, Map.of("report_html", report));
        JsonNode b = body(ApiEvents.invoke(new GetJobHandler(aws.clients()), request(id, null)));
        assertEquals(report, b.get("report_html").asText());
    }

    /**
     * A missing S3 object: 200, execution_steps [] and an error log line naming the key; the same
     * when S3 answers 403, as it does on AWS to GetJob's role (no s3:ListBucket).
     */
    @Test
    void missingObjectGives200WithEmptyStepsAndAnErrorLog(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("get-missing");
        store.update(JobUpdate.builder(id).appendSteps(TestJobs.steps("m", 5, 400_000)).build());
        String key = rawItem(aws, id).get("execution_steps_s3_key").s();
        aws.s3().deleteObject(b -> b.bucket(aws.bucket()).key(key));

        try (dev.chunkflow.aws.AwsClients forbidden = new dev.chunkflow.aws.AwsClients(aws.env(),
                List.of(new dev.chunkflow.testkit.MissingKeyAs403()))) {
            missingObjectGives200(new GetJobHandler(aws.clients()), id, key);
            missingObjectGives200(new GetJobHandler(forbidden), id, key);
        }
    }

    private static void missingObjectGives200(GetJobHandler handler, String id, String key) {
        for (String include : new String[] {null, "execution_steps"}) {
            ByteArrayOutputStream logs = new ByteArrayOutputStream();
            Log.redirect(new PrintStream(logs, true, StandardCharsets.UTF_8));
            Response r;
            try {
                r = ApiEvents.invoke(handler, request(id, include));
            } finally {
                Log.redirect(System.out);
            }
            assertEquals(200, r.statusCode());
            JsonNode b = body(r);
            assertEquals(0, b.get("execution_steps").size());
            assertTrue(b.get("execution_steps").isArray());
            assertEquals(5, b.get("execution_steps_count").asInt());
            String errorLine = logs.toString(StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("\"level\":\"ERROR\"")).findFirst().orElseThrow();
            assertTrue(errorLine.contains(key), errorLine);
            assertFalse(errorLine.contains("ooooo"), "no step output in logs");
        }
    }

    @Test
    void clientErrorsAre4xxNever5xx(EmbeddedAws aws) {
        GetJobHandler handler = new GetJobHandler(aws.clients());
        for (String bad : new String[] {"bad$id", "a..b/c", "x".repeat(81), ""}) {
            Response r = ApiEvents.invoke(handler, request(bad, null));
            assertEquals(400, r.statusCode(), bad);
            assertEquals("InvalidInput", body(r).get("error").asText());
            assertTrue(body(r).get("message").asText().startsWith("job_id: "));
        }
        ObjectNode noPath = request("x", null);
        noPath.remove("pathParameters");
        noPath.put("rawPath", "/jobs/");
        assertEquals(400, ApiEvents.invoke(handler, noPath).statusCode());

        String id = newJobId("get-4xx");
        store(aws).createIfAbsent(id, Map.of());
        Response include = ApiEvents.invoke(handler, request(id, "everything"));
        assertEquals(400, include.statusCode());
        assertTrue(body(include).get("message").asText().startsWith("include: "));

        Response unknown = ApiEvents.invoke(handler, request(newJobId("never-created"), null));
        assertEquals(404, unknown.statusCode());
        assertEquals("NotFound", body(unknown).get("error").asText());
    }
}
