package dev.chunkflow.local.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.run.SampleData;

/**
 * Load through the edge port: the template's HTTP API throttle answers 429 and clients that retry get
 * exactly one execution per job id; GET /jobs/{id} stays 2xx under 16 threads while a job with offloaded
 * steps runs; concurrent StartExecution calls with repeated names start each name once.
 */
class ServeLoadTest {
    @Test
    void concurrentClientsLoseNothingAndDoubleNothing(@TempDir Path dir) throws Exception {
        try (ServeStack stack = ServeStack.start(ServeFixture.REPO, dir.resolve("state"), 0, 0, 0, ServeStack.DEFAULT_STACK_NAME,
                Map.of("OffloadThresholdBytes", "16384"))) {
            var app = stack.app();
            SampleData.generateTo(app.aws().s3(), app.bucket(), "input/small/", 300, 1);
            SampleData.generateTo(app.aws().s3(), app.bucket(), "input/big/", 15_000, 2);
            var executions = stack.executions();
            String smArn = executions.stateMachineArn();

            // The template's route throttle is what the edge applies; for this test a smaller bucket makes sure
            // 200 requests exceed it even when a loaded machine sends them slower than the template's 20/s refill.
            assertTrue(stack.banner(dir).contains("burst 50, 20 req/s"), stack.banner(dir));
            stack.httpApiThrottle(5, 5);
            // Five StartJob execution environments started before the storm (a request it rejects: nothing is created),
            // as a deployed API has them warm; cold starts on a starved machine would otherwise eat the 15 s Timeout.
            SignedHttp warm = new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY);
            List<java.util.concurrent.CompletableFuture<Integer>> warming = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                warming.add(java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                    try {
                        return warm.send("POST", URI.create(stack.endpoint() + "/jobs"), "{\"job_id\": \"warm\"}").statusCode();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }));
            }
            warming.forEach(f -> assertEquals(400, f.join(), "a request without a source is refused"));
            Thread.sleep(1_100); // the bucket refills
            // 200 concurrent POST /jobs, 20 job ids x 10.
            List<String> jobIds = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                jobIds.add(String.format("load-%02d", i));
            }
            ServeLoad.Posts posts = ServeLoad.posts(stack, jobIds, 10, "input/small/");
            assertEquals(0, posts.serverErrors(), () -> "no 5xx: " + posts.serverErrorBodies());
            assertTrue(posts.throttled() > 0, "200 requests at once exceed a burst of 5: some must be throttled");
            assertEquals(Map.of(202, 200), posts.finalStatuses(), "every request ends accepted, repeats included");
            assertEquals(Set.copyOf(jobIds), posts.arnsByJob().keySet());
            posts.arnsByJob().forEach((job, arns) ->
                    assertEquals(Set.of(smArn.replace(":stateMachine:", ":execution:") + ":" + job), arns, job));
            for (String job : jobIds) {
                executions.await(smArn.replace(":stateMachine:", ":execution:") + ":" + job, 3, TimeUnit.MINUTES);
            }
            List<JsonNode> loadExecutions = named(stack, "load-");
            assertEquals(20, loadExecutions.size(), "exactly one execution per job id");
            loadExecutions.forEach(e -> assertEquals("SUCCEEDED", e.path("status").asText(), e.toString()));

            // 100 concurrent StartExecution, 10 names: each name started once, repeats answered idempotently or ExecutionAlreadyExists.
            ServeLoad.Starts starts = ServeLoad.starts(stack, 100, 10, "start-", "{\"source\": {\"prefix\": \"input/small/\"}}");
            assertEquals(0, starts.otherErrors());
            assertEquals(100, starts.started() + starts.alreadyExists());
            assertEquals(10, starts.arnsByName().size());
            starts.arnsByName().values().forEach(arns -> assertEquals(1, arns.size(), arns.toString()));
            assertEquals(10, named(stack, "start-").size());

            // 2,000 GET /jobs/{id} over 16 threads while a 250-chunk job runs (its steps go to S3 above 16 KiB).
            stack.httpApiThrottle(100_000, 100_000);
            SignedHttp http = new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY);
            HttpResponse<String> post = http.send("POST", URI.create(stack.endpoint() + "/jobs"),
                    "{\"job_id\": \"load-big\", \"source\": {\"prefix\": \"input/big/\"}, \"target_rows_per_chunk\": 60}");
            assertEquals(202, post.statusCode(), post.body());
            ServeLoad.Gets gets = ServeLoad.gets(stack, "load-big", 2000, 16);
            assertEquals(0, gets.non2xx(), "all 2xx");
            assertTrue(gets.transportRetries() <= gets.requests() / 100, "connections dropped: " + gets.transportRetries());
            String bigArn = smArn.replace(":stateMachine:", ":execution:") + ":load-big";
            executions.await(bigArn, 5, TimeUnit.MINUTES);
            HttpResponse<String> done = http.send("GET", URI.create(stack.endpoint() + "/jobs/load-big?include=execution_steps"), null);
            JsonNode job = Json.readTree(done.body().getBytes(StandardCharsets.UTF_8));
            assertEquals("SUCCEEDED", job.path("status").asText(), done.body());
            String url = job.path("execution_steps_s3_url").asText();
            assertTrue(!url.isEmpty(), "the steps are offloaded and served as a presigned URL: " + done.body());
            HttpResponse<byte[]> steps = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).build(),
                    HttpResponse.BodyHandlers.ofByteArray());
            assertEquals(200, steps.statusCode());
            byte[] body = steps.body();
            if (body.length > 2 && (body[0] & 0xff) == 0x1f && (body[1] & 0xff) == 0x8b) { // stored gzip-encoded
                body = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(body)).readAllBytes();
            }
            JsonNode offloadedSteps = Json.readTree(body);
            assertTrue(offloadedSteps.toString().contains("ProcessChunks"), offloadedSteps.toString().substring(0, 200));

            String report = String.format(java.util.Locale.ROOT,
                    "{\"posts\": %d, \"posts_throttled_429\": %d, \"posts_wall_ms\": %d, \"executions_from_posts\": %d, "
                            + "\"gets\": %d, \"gets_threads\": 16, \"get_p50_ms\": %.2f, \"get_p99_ms\": %.2f, \"get_max_ms\": %.2f, "
                            + "\"gets_wall_ms\": %d, \"gets_with_offloaded_steps\": %d, \"gets_transport_retries\": %d, \"starts\": %d, \"starts_started\": %d, "
                            + "\"starts_already_exists\": %d}%n",
                    posts.requests(), posts.throttled(), posts.wallMs(), loadExecutions.size(), gets.requests(), gets.p50Ms(), gets.p99Ms(),
                    gets.maxMs(), gets.wallMs(), gets.withOffloadedSteps(), gets.transportRetries(), starts.requests(), starts.started(), starts.alreadyExists());
            Files.writeString(Path.of("target", "serve-load.json"), report);
            System.out.print(report);
        }
    }

    private static List<JsonNode> named(ServeStack stack, String prefix) {
        List<JsonNode> out = new ArrayList<>();
        stack.executions().store().executions(stack.executions().stateMachineName()).forEach(e -> {
            if (e.path("name").asText().startsWith(prefix)) {
                out.add(e);
            }
        });
        return out;
    }
}
