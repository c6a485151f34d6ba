package dev.chunkflow.local.bench;

import java.net.URI;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.run.SampleData;
import dev.chunkflow.local.serve.ServeLoad;
import dev.chunkflow.local.serve.ServeStack;
import dev.chunkflow.local.serve.SignedHttp;
import dev.chunkflow.pipeline.runs.RunLayout;

/**
 * {@code serve_load}: {@code chunkflow serve} under concurrent clients through its edge port: POST /jobs
 * with repeated job ids against the template's throttle (clients retry 429), GET /jobs/{id} latency
 * over 16 threads while a job with offloaded steps runs, concurrent StartExecution with repeated names.
 */
public final class ServeBench implements BenchSection {
    @Override
    public String key() {
        return "serve_load";
    }

    @Override
    public String title() {
        return "chunkflow serve under load (edge port)";
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        int gets = (int) ctx.size(2000, 500);
        try (ServeStack stack = ServeStack.start(ctx.repoRoot(), ctx.scratch("serve_load"), 0, 0, 0, ServeStack.DEFAULT_STACK_NAME,
                Map.of("OffloadThresholdBytes", "16384"))) {
            var app = stack.app();
            String small = RunLayout.inputPrefix("small");
            String big = RunLayout.inputPrefix("big");
            SampleData.generateTo(app.aws().s3(), app.bucket(), small, 300, 1);
            SampleData.generateTo(app.aws().s3(), app.bucket(), big, 15_000, 2);
            String execPrefix = stack.executions().stateMachineArn().replace(":stateMachine:", ":execution:") + ":";
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                ids.add(String.format("bench-%02d", i));
            }
            ctx.say("serve_load: 200 concurrent POST /jobs (20 ids x 10), template throttle");
            ServeLoad.Posts posts = ServeLoad.posts(stack, ids, 10, small);
            for (String id : ids) {
                stack.executions().await(execPrefix + id, 5, TimeUnit.MINUTES);
            }
            long executions = stack.executions().store().executions(stack.executions().stateMachineName()).stream()
                    .filter(e -> e.path("name").asText().startsWith("bench-")).count();
            ctx.say("serve_load: 100 concurrent StartExecution (10 names)");
            ServeLoad.Starts starts = ServeLoad.starts(stack, 100, 10, "start-", "{\"source\": {\"prefix\": \"" + small + "\"}}");
            stack.httpApiThrottle(100_000, 100_000);
            HttpResponse<String> post = new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY).send("POST",
                    URI.create(stack.endpoint() + "/jobs"),
                    "{\"job_id\": \"bench-big\", \"source\": {\"prefix\": \"" + big + "\"}, \"target_rows_per_chunk\": 60}");
            if (post.statusCode() != 202) {
                throw new IllegalStateException("POST /jobs answered " + post.statusCode() + ": " + post.body());
            }
            ctx.say("serve_load: %d GET /jobs/{id} over 16 threads while a 250-chunk job runs", gets);
            ServeLoad.Gets g = ServeLoad.gets(stack, "bench-big", gets, 16);
            stack.executions().await(execPrefix + "bench-big", 10, TimeUnit.MINUTES);

            ObjectNode json = Json.MAPPER.createObjectNode();
            json.put("posts", posts.requests());
            json.put("posts_throttled_429", posts.throttled());
            json.put("posts_5xx", posts.serverErrors());
            json.put("posts_wall_ms", posts.wallMs());
            json.put("executions_from_posts", executions);
            json.put("starts", starts.requests());
            json.put("starts_started", starts.started());
            json.put("starts_already_exists", starts.alreadyExists());
            json.put("start_names", starts.arnsByName().size());
            json.put("gets", g.requests());
            json.put("gets_non_2xx", g.non2xx());
            json.put("gets_with_offloaded_steps", g.withOffloadedSteps());
            json.put("get_p50_ms", g.p50Ms());
            json.put("get_p99_ms", g.p99Ms());
            json.put("get_max_ms", g.maxMs());
            json.put("gets_wall_ms", g.wallMs());
            json.put("gets_transport_retries", g.transportRetries());
            ArrayNode targets = json.putArray("targets");
            targets.add(BenchReport.target("200 POST /jobs, 20 ids: exactly 20 executions, no 5xx",
                    executions + " executions, " + posts.serverErrors() + " 5xx, " + posts.throttled() + " 429s retried",
                    executions == 20 && posts.serverErrors() == 0));
            targets.add(BenchReport.target("100 StartExecution, 10 names: 10 executions",
                    starts.arnsByName().size() + " names started, " + starts.otherErrors() + " other errors",
                    starts.arnsByName().size() == 10 && starts.otherErrors() == 0));
            targets.add(BenchReport.target(gets + " GET /jobs/{id} over 16 threads: all 2xx",
                    String.format("%d non-2xx; p50 %.1f ms, p99 %.1f ms", g.non2xx(), g.p50Ms(), g.p99Ms()), g.non2xx() == 0));
            String md = String.format("""
                    | measure | value |
                    |---|---|
                    | POST /jobs (20 job ids x 10, at once, template throttle burst 50 / 20 per s) | %d requests, %d answered 429 and retried, %d 5xx, %d executions, %.1f s |
                    | StartExecution (10 names x 10, at once, Java SDK) | %d started (idempotent repeats included), %d ExecutionAlreadyExists, %d names |
                    | GET /jobs/{id}?include=execution_steps (16 threads, job running) | %d requests, %d non-2xx, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %.1f s |
                    """, posts.requests(), posts.throttled(), posts.serverErrors(), executions, posts.wallMs() / 1000.0,
                    starts.started(), starts.alreadyExists(), starts.arnsByName().size(), g.requests(), g.non2xx(), g.p50Ms(),
                    g.p99Ms(), g.maxMs(), g.wallMs() / 1000.0);
            return new Result(json, md);
        }
    }
}
