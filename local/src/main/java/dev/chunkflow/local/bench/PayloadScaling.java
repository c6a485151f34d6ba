package dev.chunkflow.local.bench;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStats;
import dev.chunkflow.local.asl.LambdaInvoker;
import dev.chunkflow.local.asl.LimitViolation;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.pipeline.runs.RunLayout;

/**
 * Section 1: the same data planned into 10 .. 100,000 chunks and fanned out under the local engine
 * with the AWS limits enforced, for three designs: chunkflow (the real definition, real GetChunks and
 * UpdateJob), the naive design (key sets in the GetChunks result, {@code bench/naive.asl.json}) and
 * inline-only (the real definition with GetChunks always returning the ids inline).
 */
final class PayloadScaling implements BenchSection {
    static final int ROWS_PER_CHUNK = 10;
    static final long TARGET_STATE_BYTES = 8 * 1024;
    /** The real definition running the events workload (JSON Lines keyed by user_id, no key encoder). */
    static final String EVENTS_DESIGN = "chunkflow-events";
    static final List<String> DESIGNS = List.of("chunkflow", EVENTS_DESIGN, "naive", "inline-only");

    @Override
    public String key() {
        return "payload_scaling";
    }

    @Override
    public String title() {
        return "1. Payload and history scaling";
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        List<Integer> sizes = ctx.quick() ? List.of(10, 100, 1_000, 10_000) : List.of(10, 100, 1_000, 10_000, 100_000);
        String only = System.getProperty("bench.payload.chunks"); // e.g. -Dbench.payload.chunks=10000 to look at one size
        if (only != null) {
            sizes = java.util.Arrays.stream(only.split(",")).map(String::trim).map(Integer::valueOf).toList();
        }
        // e.g. -Dbench.payload.designs=chunkflow-events to run one workload's design alone (a 100,000-chunk run is long)
        List<String> designs = java.util.Arrays.stream(System.getProperty("bench.payload.designs", String.join(",", DESIGNS))
                .split(",")).map(String::trim).toList();
        if (!DESIGNS.containsAll(designs)) {
            throw new IllegalArgumentException("bench.payload.designs: known designs are " + DESIGNS + ", not " + designs);
        }
        ArrayNode rows = Json.MAPPER.createArrayNode();
        try (LocalApp app = LocalApp.start(ctx.repoRoot(), ctx.scratch("payload-scaling"), Map.of(), Map.of(), 0, 0, null)) {
            StateMachine real = StateMachine.parse(app.definition(PipelineRun.STATE_MACHINE));
            String naiveText = Files.readString(ctx.repoRoot().resolve("bench/naive.asl.json"))
                    .replace("${NaiveGetChunksFunctionArn}", LocalArns.function("NaiveGetChunksFunction"))
                    .replace("${ProcessChunkFunctionArn}", LocalArns.function("ProcessChunkFunction"))
                    .replace("${SummarizeFunctionArn}", LocalArns.function("SummarizeFunction"));
            StateMachine naive = StateMachine.parse(naiveText);
            Map<String, byte[]> plans = new java.util.concurrent.ConcurrentHashMap<>();
            for (int chunks : sizes) {
                long dataRows = (long) chunks * ROWS_PER_CHUNK;
                String prefix = RunLayout.inputPrefix("unique-" + dataRows);
                if (!List.of(EVENTS_DESIGN).containsAll(designs)) {
                    UniqueKeyData.put(app.aws().s3(), app.bucket(), prefix, dataRows);
                }
                String eventsPrefix = RunLayout.inputPrefix("unique-events-" + dataRows);
                if (designs.contains(EVENTS_DESIGN)) {
                    UniqueKeyData.putEvents(app.aws().s3(), app.bucket(), eventsPrefix, dataRows);
                }
                for (String design : designs) {
                    ObjectNode row = runOne(ctx, app, design, design.equals("naive") ? naive : real, chunks,
                            design.equals(EVENTS_DESIGN) ? eventsPrefix : prefix, plans);
                    rows.add(row);
                    ctx.say("%-11s %,7d chunks: %-9s %-26s state %,9d B, history %,6d, children %,6d, %,6d ms (GetChunks %,d ms)",
                            design, chunks, row.path("status").asText(), row.path("error").asText(""),
                            row.path("max_state_payload_bytes").asLong(), row.path("history_events").asInt(),
                            row.path("child_executions").asInt(), row.path("wall_ms").asLong(), row.path("get_chunks_ms").asLong());
                }
            }
        }
        return new Result(rows, markdown(rows, sizes), targets(rows, sizes.get(sizes.size() - 1)));
    }

    private static ObjectNode runOne(BenchContext ctx, LocalApp app, String design, StateMachine definition, int chunks,
                                     String prefix, Map<String, byte[]> plans) {
        String jobId = "bench-" + design + "-" + chunks + "-" + System.currentTimeMillis();
        // The job record StartJob would have created (this benchmark starts executions directly).
        dev.chunkflow.jobs.JobStore.fromEnv(app.aws().clients()).createIfAbsent(jobId, Map.of("source", Map.of("prefix", prefix)));
        LambdaInvoker invoker = (fn, payload) -> {
            String name = LocalArns.functionName(fn);
            return switch (name) {
                case "NaiveGetChunksFunction" -> BenchFunctions.naiveGetChunks(app.aws().s3(), app.bucket(), payload);
                case "ProcessChunkFunction" -> BenchFunctions.processChunk(payload, ROWS_PER_CHUNK);
                case "SummarizeFunction" -> BenchFunctions.summarize(payload);
                // inline-only hands over the plan chunkflow made of the same data (GetChunks is the same
                // function in both designs; only the hand-over differs), which saves re-writing every chunk.
                case "GetChunksFunction" -> design.equals("inline-only")
                        ? idsAlwaysInline(app, plans.computeIfAbsent(prefix, p -> real(app, name, payload)))
                        : plans.compute(prefix, (p, old) -> real(app, name, payload));
                default -> real(app, name, payload);
            };
        };
        ObjectNode input = Json.MAPPER.createObjectNode();
        input.put("job_id", jobId);
        input.putObject("source").put("prefix", prefix);
        input.put("target_rows_per_chunk", ROWS_PER_CHUNK);
        input.put("max_concurrency", 40);
        if (design.equals(EVENTS_DESIGN)) {
            input.put("workload", "events");
        }
        long planningBefore = app.function("GetChunksFunction").orElseThrow().usage().billed_ms();
        long start = System.nanoTime();
        ExecutionResult r;
        try (AslEngine engine = AslEngine.builder().lambdaInvoker(invoker).s3(app.aws().s3())
                .stateMachineName(LocalApp.STACK_NAME + "-" + design).region(LocalArns.REGION).accountId(LocalArns.ACCOUNT)
                .build()) {
            r = engine.execute(definition, input, jobId);
        }
        long wallMs = (System.nanoTime() - start) / 1_000_000;
        ExecutionStats s = r.stats();
        ObjectNode row = Json.MAPPER.createObjectNode();
        row.put("design", design);
        row.put("chunks", chunks);
        row.put("rows_per_chunk", ROWS_PER_CHUNK);
        row.put("status", r.status().name());
        if (r.error() != null) {
            row.put("error", r.error());
            row.put("cause", abbreviate(r.cause(), 240));
        } else {
            row.putNull("error");
        }
        row.put("max_state_payload_bytes", s.maxStatePayloadBytes());
        row.put("max_state_payload_state", s.maxStatePayloadState());
        row.put("max_lambda_request_bytes", s.maxLambdaRequestBytes());
        row.put("max_lambda_response_bytes", s.maxLambdaResponseBytes());
        row.put("history_events", s.historyEvents());
        row.put("child_executions", s.childExecutions());
        row.put("max_child_history_events", s.maxChildHistoryEvents());
        row.put("lambda_invocations", s.lambdaInvocations());
        ArrayNode violations = row.putArray("limit_violations");
        for (LimitViolation v : s.limitViolations()) {
            violations.add(v.message());
        }
        row.put("wall_ms", wallMs);
        row.put("get_chunks_ms", app.function("GetChunksFunction").orElseThrow().usage().billed_ms() - planningBefore);
        return row;
    }

    private static byte[] real(LocalApp app, String name, byte[] payload) {
        try {
            return app.invoke(name, payload);
        } catch (FunctionError e) {
            throw new TaskFailure(e.errorType(), e.causeJson());
        }
    }

    /** Design (c): the plan with every chunk id inline, however many there are (what chunkflow refuses to do). */
    private static byte[] idsAlwaysInline(LocalApp app, byte[] response) {
        ObjectNode plan = (ObjectNode) Json.readTree(response);
        if (!plan.has("chunk_ids")) {
            byte[] ids = app.aws().s3().getObjectAsBytes(b -> b.bucket(app.bucket()).key(plan.path("ids_key").asText())).asByteArray();
            plan.set("chunk_ids", Json.readTree(ids));
        }
        plan.put("map_mode", "INLINE");
        return Json.bytes(plan);
    }

    private static ArrayNode targets(ArrayNode rows, int largest) {
        long maxEvents = 0;
        long maxChildEvents = 0;
        int violations = 0;
        int failed = 0;
        long stateAtLargest = -1;
        for (JsonNode r : rows) {
            if (!r.path("design").asText().startsWith("chunkflow")) {
                continue;
            }
            maxEvents = Math.max(maxEvents, r.path("history_events").asLong());
            maxChildEvents = Math.max(maxChildEvents, r.path("max_child_history_events").asLong());
            violations += r.path("limit_violations").size();
            failed += r.path("status").asText().equals("SUCCEEDED") ? 0 : 1;
            if (r.path("chunks").asInt() == largest) {
                stateAtLargest = Math.max(stateAtLargest, r.path("max_state_payload_bytes").asLong());
            }
        }
        ArrayNode targets = Json.MAPPER.createArrayNode();
        targets.add(BenchReport.target(String.format("chunkflow (visits and events): largest state payload <= 8 KB at %,d chunks", largest),
                String.format("%,d B", stateAtLargest), stateAtLargest >= 0 && stateAtLargest <= TARGET_STATE_BYTES));
        targets.add(BenchReport.target("chunkflow (visits and events): zero limit violations, every size succeeds",
                violations + " violations, " + failed + " failed runs", violations == 0 && failed == 0));
        targets.add(BenchReport.target("chunkflow: < 25,000 history events per execution at every size",
                String.format("parent at most %,d, child at most %,d", maxEvents, maxChildEvents),
                maxEvents < AwsLimits.SFN_STANDARD_HISTORY_EVENTS && maxChildEvents < AwsLimits.SFN_STANDARD_HISTORY_EVENTS));
        return targets;
    }

    private static String markdown(ArrayNode rows, List<Integer> sizes) {
        Map<String, Map<Integer, JsonNode>> byDesign = new LinkedHashMap<>();
        for (JsonNode r : rows) {
            byDesign.computeIfAbsent(r.path("design").asText(), k -> new LinkedHashMap<>()).put(r.path("chunks").asInt(), r);
        }
        StringBuilder b = new StringBuilder();
        b.append(String.format("The same data (%d rows per chunk, one row per key, so the plan has exactly the number of chunks in "
                + "the table) runs under the local engine with the AWS limits enforced: 256 KiB per state, 6 MB per Lambda "
                + "response, 25,000 history events per Standard execution. GetChunks and UpdateJob are the real handlers; "
                + "ProcessChunk and Summarize answer with the counts and keys the real ones return, without their I/O (the "
                + "fan-out is what is measured). Designs: **chunkflow** = `statemachines/etl-pipeline.asl.json` as deployed "
                + "(inline Map up to 1,000 chunks, Distributed Map reading `ids.json` above), on visits CSV; **chunkflow-events** = "
                + "the same, with `\"workload\": \"events\"` on JSON Lines (one event per user_id: the general key path, no key "
                + "encoder); **naive** = `bench/naive.asl.json`, "
                + "GetChunks returns every chunk's key set; **inline-only** = the real definition with GetChunks always "
                + "returning every id inline (it hands over the plan chunkflow made of the same data). Wall time includes "
                + "GetChunks, which writes two objects per chunk (key set and data): at 10 rows per chunk that is what dominates, "
                + "not the fan-out.%n%n", ROWS_PER_CHUNK));
        b.append("| chunks | design | status | error | largest state (B) | largest Lambda response (B) | history events | child executions (max events) | wall (s) | of which GetChunks (s) |\n");
        b.append("|---:|---|---|---|---:|---:|---:|---:|---:|---:|\n");
        for (int n : sizes) {
            for (String design : byDesign.keySet()) {
                JsonNode r = byDesign.get(design).get(n);
                if (r == null) {
                    continue;
                }
                b.append(String.format("| %,d | %s | %s | %s | %,d | %,d | %,d | %s | %.1f | %.1f |%n", n, design, r.path("status").asText(),
                        r.path("error").isNull() ? "" : "`" + r.path("error").asText() + "`", r.path("max_state_payload_bytes").asLong(),
                        r.path("max_lambda_response_bytes").asLong(), r.path("history_events").asInt(),
                        r.path("child_executions").asInt() == 0 ? "-" : String.format("%,d (%d)", r.path("child_executions").asInt(),
                                r.path("max_child_history_events").asInt()), r.path("wall_ms").asLong() / 1000.0,
                        r.path("get_chunks_ms").asLong() / 1000.0));
            }
        }
        b.append("\nWhere the naive and inline-only designs fail:\n\n");
        for (JsonNode r : rows) {
            if (!r.path("design").asText().startsWith("chunkflow") && !r.path("status").asText().equals("SUCCEEDED")) {
                b.append(String.format("- %s at %,d chunks: `%s`: %s%n", r.path("design").asText(), r.path("chunks").asInt(),
                        r.path("error").asText(), r.path("cause").asText().replace("|", "\\|")));
            }
        }
        return b.toString();
    }

    private static String abbreviate(String s, int max) {
        if (s == null) {
            return null;
        }
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
