package dev.chunkflow.local.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

/**
 * {@code chunkflow serve} with the real AWS CLI (v1, botocore) as the client: the scripts run a job to
 * SUCCEEDED through DescribeStacks, S3 uploads, StartExecution and polling; then the calls users make
 * answer as AWS answers them, errors included.
 */
class ServeAwsCliTest {
    private static final String JOB = "cli-job-1";

    @TempDir
    static Path dir;
    static ServeStack stack;
    static AwsCli cli;
    static AwsCli.Result script;

    @BeforeAll
    static void startAndRunAJob() throws Exception {
        Assumptions.assumeTrue(AwsCli.installed(), "the AWS CLI ('aws') is not on PATH: these tests need it (scripts/install-tools.sh)");
        stack = ServeFixture.start(dir.resolve("state"));
        Files.createDirectories(dir.resolve("home"));
        cli = new AwsCli(stack.endpoint().toString(), dir.resolve("home"));
        script = cli.run(List.of("bash", "scripts/start-execution.sh", "--endpoint-url", stack.endpoint().toString(), "--upload",
                "--rows", "3000", "--target-rows", "1000", "--job-id", JOB, "--poll-seconds", "1", "--timeout-seconds", "240"));
    }

    @AfterAll
    static void stop() {
        if (stack != null) {
            stack.close();
        }
    }

    private static String executionArn() {
        return stack.executions().stateMachineArn().replace(":stateMachine:", ":execution:") + ":" + JOB;
    }

    @Test
    void startExecutionScriptRunsTheJobToSucceeded() {
        assertEquals(0, script.exit(), () -> script.err());
        JsonNode output = script.json();
        assertEquals("SUCCEEDED", output.path("status").asText(), script.out());
        assertEquals(3, output.path("num_chunks").asInt(), script.out());
        assertTrue(script.err().contains("status after"), "the script polled describe-execution: " + script.err());
    }

    @Test
    void historyListAndDescribeAnswerAsStepFunctions() throws Exception {
        JsonNode history = cli.aws("stepfunctions", "get-execution-history", "--execution-arn", executionArn()).json();
        JsonNode events = history.path("events");
        assertEquals("ExecutionStarted", events.get(0).path("type").asText());
        assertEquals("ExecutionSucceeded", events.get(events.size() - 1).path("type").asText());
        for (int i = 0; i < events.size(); i++) {
            assertEquals(i + 1, events.get(i).path("id").asInt(), "ids count up from 1 across pages");
        }
        assertTrue(events.size() > 20, "a whole run's events: " + events.size());
        List<String> states = new ArrayList<>();
        events.forEach(e -> {
            if (e.has("stateEnteredEventDetails")) {
                states.add(e.path("stateEnteredEventDetails").path("name").asText());
            }
        });
        assertTrue(states.containsAll(List.of("GetChunks", "Summarize")), states.toString());

        JsonNode reversed = cli.aws("stepfunctions", "get-execution-history", "--execution-arn", executionArn(),
                "--reverse-order", "--max-items", "1").json();
        assertEquals("ExecutionSucceeded", reversed.path("events").get(0).path("type").asText());

        JsonNode list = cli.aws("stepfunctions", "list-executions", "--state-machine-arn", stack.executions().stateMachineArn(),
                "--status-filter", "SUCCEEDED").json();
        assertEquals(1, list.path("executions").size(), list.toString());
        assertEquals(JOB, list.path("executions").get(0).path("name").asText());
        assertTrue(list.path("executions").get(0).path("stopDate").asDouble() >= list.path("executions").get(0).path("startDate").asDouble());
        assertEquals(0, cli.aws("stepfunctions", "list-executions", "--state-machine-arn", stack.executions().stateMachineArn(),
                "--status-filter", "RUNNING").json().path("executions").size());

        JsonNode sm = cli.aws("stepfunctions", "describe-state-machine", "--state-machine-arn", stack.executions().stateMachineArn()).json();
        assertEquals("STANDARD", sm.path("type").asText());
        assertTrue(Json.readTree(sm.path("definition").asText().getBytes(StandardCharsets.UTF_8)).path("States").has("GetChunks"));
    }

    @Test
    void lambdaDynamoDbAndS3AnswerAsOnAws() throws Exception {
        Path event = dir.resolve("get-job.json");
        Files.writeString(event, Files.readString(ServeFixture.REPO.resolve("events/get-job.json")).replace("example-job-0001", JOB));
        Path out = dir.resolve("get-job.out");
        JsonNode invoke = cli.aws("lambda", "invoke", "--function-name", "GetJobFunction", "--payload", "file://" + event, out.toString()).json();
        assertEquals(200, invoke.path("StatusCode").asInt());
        assertTrue(invoke.path("FunctionError").isMissingNode(), invoke.toString());
        JsonNode response = Json.readTree(Files.readAllBytes(out));
        assertEquals(200, response.path("statusCode").asInt());
        JsonNode job = Json.readTree(response.path("body").asText().getBytes(StandardCharsets.UTF_8));
        assertEquals("SUCCEEDED", job.path("status").asText(), job.toString());
        assertEquals(3000, job.path("rows_in").asLong(), job.toString());

        // A handler's exception is a successful Invoke carrying FunctionError and the error document.
        JsonNode failed = cli.aws("lambda", "invoke", "--function-name",
                "arn:aws:lambda:us-east-1:000000000000:function:GetChunksFunction:live", "--payload", "{}", out.toString()).json();
        assertEquals("Unhandled", failed.path("FunctionError").asText(), failed.toString());
        assertEquals("dev.chunkflow.common.InvalidInput", Json.readTree(Files.readAllBytes(out)).path("errorType").asText());

        AwsCli.Result missing = cli.aws("lambda", "invoke", "--function-name", "NoSuchFunction", out.toString());
        assertNotEquals(0, missing.exit());
        assertTrue(missing.err().contains("ResourceNotFoundException"), missing.err());

        JsonNode functions = cli.aws("lambda", "list-functions").json();
        assertEquals(stack.app().functions().size(), functions.path("Functions").size());
        assertEquals(2048, cli.aws("lambda", "get-function", "--function-name", "ProcessChunkFunction", "--qualifier", "live")
                .json().path("Configuration").path("MemorySize").asInt());

        JsonNode item = cli.aws("dynamodb", "get-item", "--table-name", stack.app().table(), "--key",
                "{\"job_id\": {\"S\": \"" + JOB + "\"}}", "--consistent-read").json().path("Item");
        assertEquals("SUCCEEDED", item.path("status").path("S").asText(), item.toString());
        assertEquals("3000", item.path("rows_in").path("N").asText());

        AwsCli.Result ls = cli.aws("s3", "ls", "s3://" + stack.app().bucket() + "/output/" + JOB + "/");
        assertEquals(0, ls.exit(), ls.err());
        for (String entry : List.of("_SUCCESS", "summary.json", "report.html", "PRE visits/")) {
            assertTrue(ls.out().contains(entry), ls.out());
        }
    }

    @Test
    void errorsHaveTheShapesTheSdksExpect() throws Exception {
        AwsCli.Result again = cli.aws("stepfunctions", "start-execution", "--state-machine-arn", stack.executions().stateMachineArn(),
                "--name", JOB, "--input", "{}");
        assertTrue(again.err().contains("(ExecutionAlreadyExists)"), again.err());
        AwsCli.Result none = cli.aws("stepfunctions", "describe-execution", "--execution-arn", executionArn() + "-nope");
        assertTrue(none.err().contains("(ExecutionDoesNotExist)"), none.err());
        AwsCli.Result invalid = cli.aws("stepfunctions", "describe-execution", "--execution-arn", "not-an-arn");
        assertTrue(invalid.err().contains("(InvalidArn)"), invalid.err());
        AwsCli.Result badFilter = cli.aws("stepfunctions", "list-executions", "--state-machine-arn",
                stack.executions().stateMachineArn(), "--max-results", "5000");
        assertNotEquals(0, badFilter.exit());
        AwsCli.Result stack404 = cli.aws("cloudformation", "describe-stacks", "--stack-name", "other-stack");
        assertTrue(stack404.err().contains("(ValidationError)") && stack404.err().contains("does not exist"), stack404.err());
    }

    @Test
    void signaturesAreCheckedAndTheHttpApiWantsSigV4() throws Exception {
        List<String> cmd = new ArrayList<>(List.of("env", "AWS_SECRET_ACCESS_KEY=wrong", "aws", "--endpoint-url",
                stack.endpoint().toString(), "stepfunctions", "list-state-machines"));
        AwsCli.Result wrongKey = cli.run(cmd);
        assertTrue(wrongKey.err().contains("InvalidSignatureException"), wrongKey.err());

        SignedHttp http = new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY);
        URI job = URI.create(stack.endpoint() + "/jobs/" + JOB);
        assertEquals(403, http.unsigned("GET", job).statusCode(), "unsigned requests are refused as API Gateway's IAM authorizer does");
        assertEquals(403, new SignedHttp(ServeStack.ACCESS_KEY, "wrong").send("GET", job, null).statusCode());
        var ok = http.send("GET", job, null);
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals("SUCCEEDED", Json.readTree(ok.body().getBytes(StandardCharsets.UTF_8)).path("status").asText());
        assertEquals(404, http.send("GET", URI.create(stack.endpoint() + "/jobs/nope-0001"), null).statusCode());
    }

    @Test
    void stackOutputsResolveToTheLocalStack() throws Exception {
        JsonNode outputs = cli.aws("cloudformation", "describe-stacks", "--stack-name", "chunkflow").json()
                .path("Stacks").get(0).path("Outputs");
        java.util.Map<String, String> byKey = new java.util.HashMap<>();
        outputs.forEach(o -> byKey.put(o.path("OutputKey").asText(), o.path("OutputValue").asText()));
        assertEquals(stack.executions().stateMachineArn(), byKey.get("EtlStateMachineArn"));
        assertEquals(stack.app().bucket(), byKey.get("DataBucketName"));
        assertEquals(stack.app().table(), byKey.get("JobsTableName"));
        assertEquals(stack.endpoint().toString(), byKey.get("ApiUrl"));
    }
    /**
     * scripts/redrive.sh through the AWS CLI against serve: a job over an empty prefix fails at GetChunks, the
     * EventBridge rule marks it FAILED, the redrive resumes at GetChunks (which fails again: the data is
     * still missing) with redriveCount 1; a SUCCEEDED execution is refused as Step Functions refuses it.
     */
    @Test
    void redriveScriptRedrivesAFailedExecutionAndRefusesASucceededOne() throws Exception {
        String failedJob = "cli-job-empty";
        AwsCli.Result failed = cli.run(List.of("bash", "scripts/start-execution.sh", "--endpoint-url", stack.endpoint().toString(),
                "--prefix", "input/nothing-here/", "--job-id", failedJob, "--poll-seconds", "1", "--timeout-seconds", "120"));
        assertEquals(1, failed.exit(), failed.out() + failed.err());
        SignedHttp http = new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY);
        var job = http.send("GET", URI.create(stack.endpoint() + "/jobs/" + failedJob), null);
        assertEquals("FAILED", Json.readTree(job.body().getBytes(StandardCharsets.UTF_8)).path("status").asText(), job.body());

        AwsCli.Result redriven = cli.run(List.of("bash", "scripts/redrive.sh", failedJob, "--endpoint-url", stack.endpoint().toString(),
                "--poll-seconds", "1", "--timeout-seconds", "120"));
        assertEquals(1, redriven.exit(), redriven.out() + redriven.err());
        assertEquals(1, redriven.json().path("redriveCount").asInt(), redriven.out());
        assertEquals("FAILED", redriven.json().path("status").asText(), redriven.out());
        String arn = executionArn().replace(":" + JOB, ":" + failedJob);
        JsonNode history = cli.aws("stepfunctions", "get-execution-history", "--execution-arn", arn).json().path("events");
        List<String> types = new ArrayList<>();
        history.forEach(e -> types.add(e.path("type").asText()));
        int redrivenAt = types.indexOf("ExecutionRedriven");
        assertTrue(redrivenAt > 0 && "TaskStateEntered".equals(types.get(redrivenAt + 1)), "resumed at GetChunks: " + types);

        AwsCli.Result refused = cli.run(List.of("bash", "scripts/redrive.sh", JOB, "--endpoint-url", stack.endpoint().toString()));
        assertNotEquals(0, refused.exit());
        assertTrue(refused.err().contains("ExecutionNotRedrivable"), refused.err());
    }
}
