package dev.chunkflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.Json;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.testkit.ApiEvents;
import dev.chunkflow.testkit.ApiEvents.Response;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

@ExtendWith(AwsExtension.class)
class StartJobHandlerTest {
    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:chunkflow-etl";
    private FakeStepFunctions sfn;

    @BeforeEach
    void start() throws Exception {
        sfn = new FakeStepFunctions();
    }

    @AfterEach
    void stop() {
        sfn.close();
    }

    private StartJobHandler handler(EmbeddedAws aws) {
        return new StartJobHandler(new AwsClients(aws.env().with("AWS_ENDPOINT_URL_SFN", sfn.endpoint())
                .with("STATE_MACHINE_ARN", MACHINE)));
    }

    private static ObjectNode event(String body) {
        ObjectNode e = ApiEvents.load("start-job.json");
        e.put("body", body);
        return e;
    }

    @Test
    void sampleEventStartsTheJobAndARetryGetsTheSameAnswerWithoutASecondRun(EmbeddedAws aws) {
        ObjectNode e = ApiEvents.load("start-job.json");
        JsonNode sample = Json.readTree(e.get("body").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals("input/sample/", sample.path("source").path("prefix").asText());
        String body = e.get("body").asText().replace("sample-0001", "api-start-1");
        StartJobHandler h = handler(aws);

        Response first = ApiEvents.invoke(h, event(body));
        assertEquals(202, first.statusCode(), first.body());
        JsonNode out = Json.readTree(first.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("api-start-1", out.get("job_id").asText());
        assertEquals("arn:aws:states:us-east-1:123456789012:execution:chunkflow-etl:api-start-1", out.get("execution_arn").asText());
        assertEquals("https://abc123example.execute-api.us-east-1.amazonaws.com/jobs/api-start-1", out.get("status_url").asText());
        assertEquals(out.get("status_url").asText(), first.headers().get("Location"));
        JsonNode input = Json.readTree(sfn.inputByName.get("api-start-1").getBytes(StandardCharsets.UTF_8));
        assertEquals("api-start-1", input.get("job_id").asText());
        assertEquals(50000, input.get("target_rows_per_chunk").asInt());

        Map<String, Object> job = JobStore.fromEnv(aws.clients()).read("api-start-1").orElseThrow();
        assertEquals("QUEUED", job.get("status"));
        assertEquals(out.get("execution_arn").asText(), job.get("execution_arn"));

        long version = JobStore.fromEnv(aws.clients()).get("api-start-1").orElseThrow().version();
        Response again = ApiEvents.invoke(h, event(body));
        assertEquals(202, again.statusCode());
        assertEquals(first.body(), again.body());
        assertEquals(version, JobStore.fromEnv(aws.clients()).get("api-start-1").orElseThrow().version(),
                "a repeat while the execution runs leaves the job item alone (no contended rewrite of execution_arn)");
        Response changed = ApiEvents.invoke(h, event(body.replace("50000", "1000")));
        assertEquals(202, changed.statusCode());
        assertEquals(first.body(), changed.body(), "the existing job, not a second run");
        assertEquals(1, sfn.inputByName.size());
        assertEquals(50000, Json.readTree(sfn.inputByName.get("api-start-1").getBytes(StandardCharsets.UTF_8))
                .get("target_rows_per_chunk").asInt());
    }

    /** Once the execution has closed, StartExecution says ExecutionAlreadyExists: still the existing job, never a 5xx. */
    @Test
    void aRepeatAfterTheExecutionClosedGetsTheExistingJob(EmbeddedAws aws) {
        StartJobHandler h = handler(aws);
        String body = "{\"job_id\":\"api-closed-1\",\"source\":{\"prefix\":\"input/x/\"}}";
        Response first = ApiEvents.invoke(h, event(body));
        assertEquals(202, first.statusCode(), first.body());
        sfn.closed.add("api-closed-1");
        int calls = sfn.startCalls.get();
        Response again = ApiEvents.invoke(h, event(body));
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(first.body(), again.body());
        assertEquals(calls + 1, sfn.startCalls.get(), "StartExecution was asked and refused");
        assertEquals(first.body(), ApiEvents.invoke(handler(aws), event(body)).body(), "a fresh execution environment too");
    }

    @Test
    void maxConcurrencyAboveProcessChunksReservedConcurrencyIs400(EmbeddedAws aws) {
        StartJobHandler h = new StartJobHandler(new AwsClients(aws.env().with("AWS_ENDPOINT_URL_SFN", sfn.endpoint())
                .with("STATE_MACHINE_ARN", MACHINE).with("PROCESS_CHUNK_RESERVED_CONCURRENCY", "50")));
        Response over = ApiEvents.invoke(h, event("{\"source\":{\"prefix\":\"p/\"},\"max_concurrency\":51}"));
        assertEquals(400, over.statusCode(), over.body());
        JsonNode err = Json.readTree(over.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("max_concurrency", err.get("field").asText());
        assertTrue(err.get("message").asText().contains("50"), err.toString());
        assertEquals(202, ApiEvents.invoke(h, event("{\"source\":{\"prefix\":\"p/\"},\"max_concurrency\":50}")).statusCode());
        assertEquals(400, ApiEvents.invoke(handler(aws), event("{\"source\":{\"prefix\":\"p/\"},\"max_concurrency\":10000}"))
                .statusCode(), "the template's default reservation (100) bounds it too");
    }

    @Test
    void generatesAJobIdWhenNoneIsGivenAndAcceptsBase64Bodies(EmbeddedAws aws) {
        ObjectNode e = event(Base64.getEncoder().encodeToString(
                "{\"source\":{\"bucket\":\"chunkflow-data\",\"prefix\":\"input/x/\"}}".getBytes(StandardCharsets.UTF_8)));
        e.put("isBase64Encoded", true);
        Response r = ApiEvents.invoke(handler(aws), e);
        assertEquals(202, r.statusCode(), r.body());
        String id = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8)).get("job_id").asText();
        assertTrue(dev.chunkflow.jobs.JobId.isValid(id) && id.startsWith("job-"), id);
    }

    @Test
    void aNamedWorkloadTravelsInTheExecutionInput(EmbeddedAws aws) {
        Response r = ApiEvents.invoke(handler(aws), event("{\"job_id\":\"api-events\",\"source\":{\"prefix\":\"p/\"},\"workload\":\"events\"}"));
        assertEquals(202, r.statusCode(), r.body());
        assertEquals("events", Json.readTree(sfn.inputByName.get("api-events").getBytes(StandardCharsets.UTF_8))
                .get("workload").asText());
    }

    @Test
    void aRefusedStartIs502AndAnUnreachableTableIsAJson500NotTheGatewaysGenericOne(EmbeddedAws aws) throws Exception {
        sfn.refuseWith = "StateMachineDoesNotExist";
        Response refused = ApiEvents.invoke(handler(aws), event("{\"job_id\":\"api-refused\",\"source\":{\"prefix\":\"p/\"}}"));
        assertEquals(502, refused.statusCode(), refused.body());
        JsonNode err = Json.readTree(refused.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("StartExecutionFailed", err.get("error").asText());
        assertTrue(err.get("message").asText().contains("StateMachineDoesNotExist"), err.toString());

        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
            closedPort = s.getLocalPort();
        }
        StartJobHandler noTable = new StartJobHandler(new AwsClients(aws.env().with("AWS_ENDPOINT_URL_SFN", sfn.endpoint())
                .with("STATE_MACHINE_ARN", MACHINE).with("AWS_ENDPOINT_URL_DYNAMODB", "http://127.0.0.1:" + closedPort)));
        Response down = ApiEvents.invoke(noTable, event("{\"job_id\":\"api-no-table\",\"source\":{\"prefix\":\"p/\"}}"));
        assertEquals(500, down.statusCode(), down.body());
        JsonNode body = Json.readTree(down.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("InternalError", body.get("error").asText());
        assertEquals("application/json", down.headers().get("Content-Type"));
        assertFalse(down.body().contains("127.0.0.1"), "no internals in the response: " + down.body());
    }

    @Test
    void badRequestsAre400NamingTheField(EmbeddedAws aws) {
        StartJobHandler h = handler(aws);
        Map<String, String> cases = Map.of(
                "", "$",
                "[1,2]", "$",
                "{not json", "$",
                "{\"job_id\":\"x\"}", "source",
                "{\"source\":{}}", "source.prefix",
                "{\"job_id\":\"has space\",\"source\":{\"prefix\":\"p/\"}}", "job_id",
                "{\"source\":{\"prefix\":\"p/\"},\"target_rows\":5}", "target_rows",
                "{\"source\":{\"prefix\":\"p/\",\"bucket\":\"Bad_Bucket\"}}", "source.bucket",
                "{\"source\":{\"prefix\":\"p/\"},\"target_rows_per_chunk\":0}", "target_rows_per_chunk",
                "{\"source\":{\"prefix\":\"p/\"},\"tolerated_failure_percentage\":101}", "tolerated_failure_percentage");
        cases.forEach((body, field) -> {
            Response r = ApiEvents.invoke(h, event(body));
            assertEquals(400, r.statusCode(), body);
            JsonNode err = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8));
            assertEquals("InvalidInput", err.get("error").asText());
            assertEquals(field, err.get("field").asText(), body + " -> " + r.body());
            assertEquals("application/json", r.headers().get("Content-Type"));
        });
        assertEquals(0, sfn.startCalls.get());
        Response unknown = ApiEvents.invoke(h, event("{\"source\":{\"prefix\":\"p/\"},\"workload\":\"sales\"}"));
        assertEquals(400, unknown.statusCode());
        JsonNode err = Json.readTree(unknown.body().getBytes(StandardCharsets.UTF_8));
        assertEquals("workload", err.get("field").asText());
        assertTrue(err.get("message").asText().contains("known workloads: events, visits"), unknown.body());
        assertEquals(0, sfn.startCalls.get());
        ObjectNode get = event("{}");
        ((ObjectNode) get.path("requestContext").path("http")).put("method", "GET");
        assertEquals(405, ApiEvents.invoke(h, get).statusCode());
    }
}
