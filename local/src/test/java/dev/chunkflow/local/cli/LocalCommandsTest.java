package dev.chunkflow.local.cli;

import static dev.chunkflow.local.cli.CliRun.REPO;
import static dev.chunkflow.local.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.chunkflow.local.cli.CliRun.Result;
import dev.chunkflow.common.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

/** The CLI's local commands: invoke, jobs get, size, and their one-line errors. */
class LocalCommandsTest {

    @Test
    void invokeRunsAHandlerAgainstTheEmbeddedServicesAndJobsGetReadsTheRecord(@TempDir Path state) throws Exception {
        String event = REPO.resolve("events/update-job-running.json").toString();
        Result invoke = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "-e", event);
        assertEquals(0, invoke.exit(), invoke.err());
        JsonNode response = Json.MAPPER.readTree(invoke.out());
        String jobId = Json.MAPPER.readTree(Files.readAllBytes(Path.of(event))).path("job_id").asText();
        assertEquals(jobId, response.path("job_id").asText());
        assertEquals("RUNNING", response.path("status").asText());

        Result get = cli("--state-dir", state.toString(), "jobs", "get", jobId);
        assertEquals(0, get.exit(), get.err());
        JsonNode job = Json.MAPPER.readTree(get.out());
        assertEquals("RUNNING", job.path("status").asText());

        Result missing = cli("--state-dir", state.toString(), "jobs", "get", "no-such-job");
        assertEquals(1, missing.exit());
        assertTrue(Json.MAPPER.readTree(missing.out()).toString().contains("no-such-job") || missing.out().contains("not"), missing.out());
    }

    @Test
    void invokeReportsAFunctionErrorAsLambdaWould(@TempDir Path state, @TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("bad.json");
        Files.writeString(bad, "{\"job_id\": \"bad id with spaces\"}");
        Result r = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "-e", bad.toString());
        assertEquals(1, r.exit());
        JsonNode error = Json.MAPPER.readTree(r.out());
        assertEquals("dev.chunkflow.common.InvalidInput", error.path("errorType").asText());
        assertTrue(error.path("errorMessage").asText().startsWith("job_id"), error.toString());
    }

    @Test
    void badUsageIsOneLineAndExitTwo(@TempDir Path state) throws Exception {
        Result unknownFunction = cli("--state-dir", state.toString(), "invoke", "NoSuchFunction");
        assertEquals(2, unknownFunction.exit());
        assertTrue(unknownFunction.err().contains("no function NoSuchFunction"), unknownFunction.err());
        assertEquals(1, unknownFunction.err().strip().lines().count(), unknownFunction.err());

        Result rows = cli("--state-dir", state.toString(), "run", "--rows", "0");
        assertEquals(2, rows.exit());
        assertTrue(rows.err().contains("--rows"), rows.err());

        Result faults = cli("--state-dir", state.toString(), "run", "--faults", "1.5");
        assertEquals(2, faults.exit());
        assertTrue(faults.err().contains("--faults"), faults.err());

        Result notANumber = cli("run", "--concurrency", "lots");
        assertEquals(2, notANumber.exit());

        Result missingEvent = cli("--state-dir", state.toString(), "invoke", "GetChunksFunction", "-e", state.resolve("nope.json").toString());
        assertEquals(2, missingEvent.exit());
        assertTrue(missingEvent.err().contains("nope.json"), missingEvent.err());
    }

    @Test
    void aTakenPortIsReportedByName(@TempDir Path state) throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Result r = cli("--state-dir", state.toString(), "--s3-port", String.valueOf(port), "invoke", "UpdateJobFunction");
            assertEquals(2, r.exit());
            assertTrue(r.err().contains("--s3-port") && r.err().contains(String.valueOf(port)) && r.err().contains("in use"), r.err());
        }
    }

    @Test
    void sizeMeasuresAnItemAndNamesWhatWouldBeOffloaded(@TempDir Path tmp) throws Exception {
        Path item = tmp.resolve("item.json");
        StringBuilder steps = new StringBuilder("[");
        for (int i = 0; i < 200; i++) {
            steps.append(i == 0 ? "" : ",").append("{\"name\":\"s").append(i).append("\",\"output\":\"").append("x".repeat(2000)).append("\"}");
        }
        Files.writeString(item, "{\"job_id\":\"j1\",\"status\":\"RUNNING\",\"execution_steps\":" + steps + "]}");
        Result r = cli("size", item.toString());
        assertEquals(0, r.exit(), r.err());
        assertTrue(r.out().contains("plain JSON"), r.out());
        assertTrue(r.out().contains("execution_steps would move to S3"), r.out());

        Path small = tmp.resolve("small.json");
        Files.writeString(small, "{\"job_id\":{\"S\":\"j1\"},\"n\":{\"N\":\"123\"}}");
        Result s = cli("size", small.toString());
        assertEquals(0, s.exit(), s.err());
        // job_id: 6 + 2; n: 1 + (1 + 2 digit pairs) = 4 -> 12 bytes
        assertTrue(s.out().contains("DynamoDB JSON") && s.out().contains("item size         12 bytes"), s.out());
        assertTrue(s.out().contains("nothing: the item fits"), s.out());
    }
}
