package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.cli.ChunkflowCli;
import picocli.CommandLine;

/** {@code chunkflow asl run} and {@code chunkflow asl test} through the real command line. */
class AslCliTest {
    record Run(int exit, String out, String err) {
    }

    private static Run cli(String... args) {
        CommandLine cl = ChunkflowCli.commandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int exit = cl.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    @Test
    void runPrintsExactlyOneJsonObjectAndWritesTheHistory(@TempDir Path dir) throws Exception {
        Path def = Files.writeString(dir.resolve("d.json"),
                "{\"StartAt\":\"F\",\"States\":{\"F\":{\"Type\":\"Fail\",\"ErrorPath\":\"$.e\",\"Cause\":\"because\"}}}");
        Path in = Files.writeString(dir.resolve("i.json"), "{\"e\":\"Oops\"}");
        Path history = dir.resolve("out/h.json");
        Run r = cli("--state-dir", dir.toString(), "asl", "run", "--definition", def.toString(), "--input", in.toString(),
                "--history", history.toString());
        assertEquals(1, r.exit());
        String[] lines = r.out().strip().split("\n");
        assertEquals(1, lines.length, r.out());
        JsonNode result = AslJson.parse(lines[0]);
        assertEquals("FAILED", result.path("status").asText());
        assertEquals("Oops", result.path("error").asText());
        assertEquals("because", result.path("cause").asText());
        assertTrue(result.has("output"));
        JsonNode events = AslJson.parse(Files.readString(history));
        assertEquals("ExecutionStarted", events.get(0).path("type").asText());
        assertEquals("FailStateEntered", events.get(1).path("type").asText());
        assertEquals("ExecutionFailed", events.get(2).path("type").asText());
    }

    @Test
    void badDefinitionIsAOneLineErrorWithExitCodeTwo(@TempDir Path dir) throws Exception {
        Path def = Files.writeString(dir.resolve("d.json"), "{\"StartAt\":\"X\",\"States\":{\"A\":{\"Type\":\"Pass\",\"End\":true}}}");
        Run r = cli("asl", "run", "--definition", def.toString());
        assertEquals(2, r.exit());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().split("\n").length, r.err());
        assertTrue(r.err().contains("StartAt 'X'"), r.err());
    }

    @Test
    void testCommandReportsEveryCaseAndWritesJson(@TempDir Path dir) throws Exception {
        Files.writeString(dir.resolve("a-ok.json"), """
                {"definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}},"input":{},
                 "expected":{"status":"SUCCEEDED","output":1}}""");
        Files.writeString(dir.resolve("b-wrong.json"), """
                {"definition":{"StartAt":"P","States":{"P":{"Type":"Pass","Result":1,"End":true}}},"input":{},
                 "expected":{"status":"SUCCEEDED","output":2}}""");
        Path report = dir.resolve("report.json");
        Run r = cli("asl", "test", dir.toString(), "--json", report.toString());
        assertEquals(1, r.exit());
        String[] lines = r.out().strip().split("\n");
        assertEquals("1 passed, 1 failed", lines[lines.length - 1]);
        assertTrue(r.out().contains("FAIL b-wrong.json: output: expected 2 but was 1"), r.out());
        JsonNode json = AslJson.parse(Files.readString(report));
        assertEquals("SUCCEEDED", json.path("a-ok.json").path("status").asText());
        assertEquals(1, json.path("b-wrong.json").path("output").asInt());
    }

    @Test
    void testCommandPassesTheProjectSuite() throws Exception {
        Run r = cli("asl", "test", AslCaseSuiteTest.resource("asl").toString());
        String[] lines = r.out().strip().split("\n");
        assertEquals(0, r.exit(), r.out());
        assertTrue(lines[lines.length - 1].endsWith(" passed, 0 failed"), r.out());
    }

    @Test
    void jsonataPipelineRunsUnderAslRunWithTheAwsLimits(@TempDir Path dir) throws Exception {
        Path def = AslCaseSuiteTest.resource("asl/definitions/jsonata-pipeline.asl.json");
        Path in = AslCaseSuiteTest.resource("asl/definitions/jsonata-pipeline.input.json");
        Path history = dir.resolve("h.json");
        Run r = cli("asl", "run", "--definition", def.toString(), "--input", in.toString(), "--identity-lambdas",
                "--virtual-time", "--history", history.toString());
        assertEquals(0, r.exit(), r.out() + r.err());
        JsonNode result = AslJson.parse(r.out().strip());
        assertEquals("{\"jobId\":\"job-42\",\"rows\":5,\"chunks\":3,\"attempts\":1,\"status\":\"COMPLETE\"}",
                AslJson.write(result.get("output")));
        JsonNode mapExited = null;
        for (JsonNode e : AslJson.parse(Files.readString(history))) {
            if (e.path("type").asText().equals("MapStateExited")) {
                mapExited = e.path("stateExitedEventDetails");
            }
        }
        assertEquals("5", mapExited.path("assignedVariables").path("rows").asText(), String.valueOf(mapExited));

        // The same definition with an execution input over the 256 KiB state payload limit fails as on AWS.
        StringBuilder ids = new StringBuilder("{\"jobId\":\"big\",\"ids\":[");
        for (int i = 0; i < 30_000; i++) {
            ids.append(i == 0 ? "" : ",").append("\"id-").append(i).append('"');
        }
        Path big = Files.writeString(dir.resolve("big.json"), ids.append("]}").toString());
        Run over = cli("asl", "run", "--definition", def.toString(), "--input", big.toString(), "--identity-lambdas", "--virtual-time");
        assertEquals(1, over.exit(), over.out() + over.err());
        assertEquals("States.DataLimitExceeded", AslJson.parse(over.out().strip()).path("error").asText());

        // chunkSize comes from the input when given: one id per chunk makes two chunks.
        Path ones = Files.writeString(dir.resolve("ones.json"), "{\"jobId\":\"j\",\"ids\":[\"a\",\"b\"],\"chunkSize\":1}");
        Run single = cli("asl", "run", "--definition", def.toString(), "--input", ones.toString(), "--identity-lambdas", "--virtual-time");
        assertEquals(0, single.exit(), single.out() + single.err());
        assertEquals(2, AslJson.parse(single.out().strip()).path("output").path("chunks").asInt());
    }
}
