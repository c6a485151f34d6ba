package dev.chunkflow.local.cli;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.LocalServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow jobs get JOB_ID}: what GET /jobs/{job_id} returns, through the GetJob function. */
@Command(name = "jobs", mixinStandardHelpOptions = true, description = "Job records.",
        subcommands = {JobsCommand.Get.class})
public final class JobsCommand {
    @ParentCommand
    ChunkflowCli parent;

    @Command(name = "get", mixinStandardHelpOptions = true,
            description = "Print the response body of GET /jobs/{job_id} (GetJobFunction against the embedded services).")
    static final class Get implements Callable<Integer> {
        @ParentCommand
        JobsCommand jobs;

        @Spec
        CommandSpec spec;

        @Parameters(index = "0", paramLabel = "JOB_ID")
        String jobId;

        @Option(names = "--include", paramLabel = "execution_steps", description = "Load the execution steps inline if they fit.")
        String include;

        @Override
        public Integer call() throws Exception {
            Log.redirect(System.err);
            try (LocalApp app = LocalApp.start(RepoRoot.find(), jobs.parent.stateDir(), Map.of(), Map.of(), jobs.parent.s3Port(), jobs.parent.dynamoDbPort(), null)) {
                JsonNode response = Json.readTree(app.invoke("GetJobFunction", Json.bytes(event(jobId, include))));
                int status = response.path("statusCode").asInt();
                spec.commandLine().getOut().println(response.path("body").asText(""));
                spec.commandLine().getOut().flush();
                if (status != 200) {
                    System.err.println("chunkflow: GET /jobs/" + jobId + " answered " + status);
                    return 1;
                }
                return 0;
            } catch (LocalServices.LocalSetupException e) {
                throw new CliError(e.getMessage());
            }
        }
    }

    /** The API Gateway HTTP API (v2) event for GET /jobs/{job_id}. */
    static ObjectNode event(String jobId, String include) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        String path = "/jobs/" + jobId;
        e.put("version", "2.0");
        e.put("routeKey", "GET /jobs/{job_id}");
        e.put("rawPath", path);
        e.put("rawQueryString", include == null ? "" : "include=" + include);
        e.putObject("headers").put("accept", "application/json");
        if (include != null) {
            e.putObject("queryStringParameters").put("include", include);
        }
        e.putObject("pathParameters").put("job_id", jobId);
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("routeKey", "GET /jobs/{job_id}");
        ctx.put("stage", "$default");
        ctx.putObject("http").put("method", "GET").put("path", path).put("protocol", "HTTP/1.1").put("sourceIp", "127.0.0.1");
        e.put("isBase64Encoded", false);
        return e;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
