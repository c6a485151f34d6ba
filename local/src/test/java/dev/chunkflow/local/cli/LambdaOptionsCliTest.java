package dev.chunkflow.local.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import picocli.CommandLine;

/** {@code --isolation}, {@code --latency}, {@code --account-concurrency} on the CLI. */
class LambdaOptionsCliTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();
    private static final String EVENT = REPO.resolve("events/update-job-running.json").toString();

    record Result(int exit, String out, String err) {
    }

    /** The CLI on the repository copy at {@code root} (template.yaml and statemachines/). */
    private static Result cliIn(Path root, String... args) {
        String previous = System.getProperty("chunkflow.repo.root");
        System.setProperty("chunkflow.repo.root", root.toString());
        try {
            return cli(args);
        } finally {
            System.setProperty("chunkflow.repo.root", previous == null ? REPO.toString() : previous);
        }
    }

    private static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ChunkflowCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

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
