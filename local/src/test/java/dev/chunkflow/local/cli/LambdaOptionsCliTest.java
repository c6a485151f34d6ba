package dev.chunkflow.local.cli;

import static dev.chunkflow.local.cli.CliRun.REPO;
import static dev.chunkflow.local.cli.CliRun.cli;
import static dev.chunkflow.local.cli.CliRun.cliIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.chunkflow.local.cli.CliRun.Result;
import dev.chunkflow.common.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

/** {@code --isolation}, {@code --latency}, {@code --account-concurrency} on the CLI. */
class LambdaOptionsCliTest {
    private static final String EVENT = REPO.resolve("events/update-job-running.json").toString();

    @Test
    void invokeInAProcessOfItsOwnWritesToTheEmbeddedServices(@TempDir Path state) throws Exception {
        Result invoke = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "-e", EVENT, "--isolation", "process");

        assertEquals(0, invoke.exit(), invoke.err());
        assertEquals("RUNNING", Json.MAPPER.readTree(invoke.out()).path("status").asText());
        String jobId = Json.MAPPER.readTree(Files.readAllBytes(Path.of(EVENT))).path("job_id").asText();
        Result get = cli("--state-dir", state.toString(), "jobs", "get", jobId);
        assertEquals("RUNNING", Json.MAPPER.readTree(get.out()).path("status").asText(), get.err());
    }

    @Test
    void aFunctionInAProcessOfItsOwnIsStillHeldToItsIamRole(@TempDir Path tmp) throws Exception {
        Path repo = Files.createDirectory(tmp.resolve("repo"));
        String template = Files.readString(REPO.resolve("template.yaml"));
        int role = template.indexOf("  UpdateJobRole:");
        String grant = "Action: [dynamodb:GetItem, dynamodb:UpdateItem]";
        int at = template.indexOf(grant, role);
        assertTrue(role > 0 && at > role, "UpdateJobRole grants GetItem and UpdateItem in one statement");
        Files.writeString(repo.resolve("template.yaml"), template.substring(0, at) + "Action: [dynamodb:GetItem]"
                + template.substring(at + grant.length()));
        Files.createDirectories(repo.resolve("statemachines"));
        try (var files = Files.list(REPO.resolve("statemachines"))) {
            for (Path f : files.toList()) {
                Files.copy(f, repo.resolve("statemachines").resolve(f.getFileName()));
            }
        }

        Result denied = cliIn(repo, "--state-dir", tmp.resolve("state").toString(), "invoke", "UpdateJobFunction", "-e", EVENT,
                "--isolation", "process");

        assertEquals(1, denied.exit(), denied.out() + denied.err());
        assertTrue(Json.MAPPER.readTree(denied.out()).path("errorMessage").asText()
                .contains("UpdateJobFunction is not authorized to perform: dynamodb:UpdateItem"), denied.out());
    }

    @Test
    void invokeWithLatencyPastTheTimeoutReportsSandboxTimedout(@TempDir Path state) throws Exception {
        Result r = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "-e", EVENT, "--latency", "UpdateJob=61s");

        assertEquals(1, r.exit(), r.err());
        JsonNode error = Json.MAPPER.readTree(r.out());
        assertEquals("Sandbox.Timedout", error.path("errorType").asText());
        assertTrue(error.path("errorMessage").asText().endsWith("Task timed out after 60.00 seconds"), error.toString());
    }

    @Test
    void badLambdaOptionsAreOneLineErrors(@TempDir Path state) {
        Result isolation = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "--isolation", "docker");
        assertEquals(2, isolation.exit());
        assertTrue(isolation.err().contains("--isolation: must be in-process or process"), isolation.err());

        Result latency = cli("--state-dir", state.toString(), "run", "--latency", "ProcessChunk=fast");
        assertEquals(2, latency.exit());
        assertTrue(latency.err().contains("--latency: 'ProcessChunk=fast'"), latency.err());

        Result memory = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "--isolation", "process",
                "--process-memory", "512");
        assertEquals(2, memory.exit());
        assertTrue(memory.err().contains("--process-memory: 512 MB cannot hold one"), memory.err());

        Result account = cli("--state-dir", state.toString(), "run", "--account-concurrency", "0");
        assertEquals(2, account.exit());
        assertTrue(account.err().contains("--account-concurrency: must be at least 1"), account.err());
    }
}
