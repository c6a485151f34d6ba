package dev.chunkflow.local.cli;

import static dev.chunkflow.local.cli.CliRun.REPO;
import static dev.chunkflow.local.cli.CliRun.cli;
import static dev.chunkflow.local.cli.CliRun.cliIn;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.chunkflow.local.cli.CliRun.Result;
import dev.chunkflow.common.Json;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * {@code chunkflow run} (what scripts/run-local.sh runs) on a copy of template.yaml with one grant removed:
 * the run fails with AccessDenied naming the function, action and resource; under {@code --iam off} the
 * same copy succeeds, so IAM is what failed it.
 */
class IamRunCommandTest {

    /** template.yaml, changed by {@code edit} (which must change it), and statemachines/ copied to {@code dir}. */
    private static Path repoWith(Path dir, UnaryOperator<String> edit) throws IOException {
        String text = Files.readString(REPO.resolve("template.yaml"), StandardCharsets.UTF_8);
        String edited = edit.apply(text);
        assertTrue(!edited.equals(text), "the edit must change template.yaml");
        Files.writeString(dir.resolve("template.yaml"), edited, StandardCharsets.UTF_8);
        Files.createDirectories(dir.resolve("statemachines"));
        try (Stream<Path> files = Files.list(REPO.resolve("statemachines"))) {
            for (Path f : files.collect(Collectors.toList())) {
                Files.copy(f, dir.resolve("statemachines").resolve(f.getFileName()));
            }
        }
        return dir;
    }

    /** Drops the one line holding {@code fragment}. */
    private static String[] run(Path state, Path report, String... extra) {
        List<String> args = new java.util.ArrayList<>(List.of("--state-dir", state.toString(), "run", "--rows", "3000",
                "--chunk-rows", "1000", "--no-progress", "--retry-time-scale", "0.001", "--report", report.toString()));
        args.addAll(List.of(extra));
        return args.toArray(String[]::new);
    }

    @Test
    void removingProcessChunksVisitsGrantFailsTheRunWithAccessDeniedNamingFunctionActionAndResource(@TempDir Path tmp) throws Exception {
        // ProcessChunk's one part grant narrowed to the daily part: the visits part (written first) is denied.
        Path repo = repoWith(Files.createDirectory(tmp.resolve("repo")),
                t -> t.replace("${DataBucket.Arn}/output/*/*/part-*.jsonl.gz", "${DataBucket.Arn}/output/*/daily/part-*.jsonl.gz"));

        Result denied = cliIn(repo, run(tmp.resolve("state-on"), tmp.resolve("on.json")));
        assertEquals(1, denied.exit(), denied.out() + denied.err());
        assertTrue(denied.out().contains("FAILED"), denied.out());
        assertTrue(denied.out().contains("assumed-role/chunkflow-local-ProcessChunkRole/ProcessChunkFunction is not authorized"
                + " to perform: s3:PutObject on resource: \\\"arn:aws:s3:::chunkflow-data/output/"), denied.out());
        String iamLine = denied.out().lines().filter(l -> l.strip().startsWith("IAM")).findFirst().orElseThrow();
        assertTrue(iamLine.contains("DENIED, first: ProcessChunkFunction s3:PutObject on arn:aws:s3:::chunkflow-data/output/")
                && iamLine.contains("/visits/"), iamLine);

        JsonNode report = Json.MAPPER.readTree(Files.readAllBytes(tmp.resolve("on.json")));
        JsonNode deniedEntry = report.path("iam").path("principals").path("ProcessChunkFunction").path("denied").get(0);
        assertEquals("denied", deniedEntry.path("kind").asText());
        assertEquals("s3:PutObject", deniedEntry.path("action").asText());
        assertTrue(deniedEntry.path("resource").asText().contains("/visits/"), deniedEntry.toString());
        assertTrue(report.path("cause").asText().contains("AccessDenied"), report.path("cause").asText());

        Result off = cliIn(repo, run(tmp.resolve("state-off"), tmp.resolve("off.json"), "--iam", "off"));
        assertEquals(0, off.exit(), off.out() + off.err());
        assertTrue(off.out().contains("IAM               off"), off.out());
    }

    @Test
    void theStateMachinesRoleGuardsTheDistributedMapsItemReader(@TempDir Path tmp) throws Exception {
        Path repo = repoWith(Files.createDirectory(tmp.resolve("repo")),
                t -> t.replace("${DataBucket.Arn}/runs/*/chunks/ids.json", "${DataBucket.Arn}/runs/*/chunks/other.json"));
        Result r = cliIn(repo, "--state-dir", tmp.resolve("state").toString(), "run", "--rows", "2000", "--chunk-rows", "100",
                "--inline-threshold", "5", "--no-progress", "--retry-time-scale", "0.001", "--report", tmp.resolve("r.json").toString());
        assertEquals(1, r.exit(), r.out() + r.err());
        JsonNode report = Json.MAPPER.readTree(Files.readAllBytes(tmp.resolve("r.json")));
        JsonNode denied = report.path("iam").path("principals").path("EtlStateMachine").path("denied").get(0);
        assertEquals("s3:GetObject", denied.path("action").asText(), report.path("iam").toString());
        assertTrue(denied.path("resource").asText().endsWith("/chunks/ids.json"), denied.toString());
        assertTrue(denied.path("message").asText().contains("assumed-role/chunkflow-local-EtlStateMachineRole/"), denied.toString());
    }

    @Test
    void invokeRunsTheFunctionUnderItsRoleToo(@TempDir Path tmp) throws Exception {
        // UpdateJob's role without dynamodb:UpdateItem: the job update is refused by DynamoDB as on AWS.
        Path repo = repoWith(Files.createDirectory(tmp.resolve("repo")), t -> {
            int role = t.indexOf("  UpdateJobRole:");
            int grant = t.indexOf("Action: [dynamodb:GetItem, dynamodb:UpdateItem]", role);
            assertTrue(role > 0 && grant > role, "UpdateJobRole grants GetItem and UpdateItem in one statement");
            return t.substring(0, grant) + "Action: [dynamodb:GetItem]" + t.substring(grant + "Action: [dynamodb:GetItem, dynamodb:UpdateItem]".length());
        });
        String event = REPO.resolve("events/update-job-running.json").toString();
        Result denied = cliIn(repo, "--state-dir", tmp.resolve("state").toString(), "invoke", "UpdateJobFunction", "-e", event);
        assertEquals(1, denied.exit(), denied.out() + denied.err());
        JsonNode error = Json.MAPPER.readTree(denied.out());
        assertTrue(error.path("errorMessage").asText().contains("assumed-role/chunkflow-local-UpdateJobRole/UpdateJobFunction is not"
                + " authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/chunkflow-jobs"),
                error.toString());

        Result off = cliIn(repo, "--state-dir", tmp.resolve("state-off").toString(), "invoke", "UpdateJobFunction", "-e", event, "--iam", "off");
        assertEquals(0, off.exit(), off.out() + off.err());
    }

    @Test
    void badIamValueIsAUsageError(@TempDir Path state) {
        Result r = cliIn(REPO, "--state-dir", state.toString(), "run", "--iam", "maybe");
        assertEquals(2, r.exit());
        assertTrue(r.err().contains("--iam: must be on or off"), r.err());
    }
}
