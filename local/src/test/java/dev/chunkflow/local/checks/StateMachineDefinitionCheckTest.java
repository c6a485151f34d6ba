package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.StateMachineDef;
import dev.chunkflow.local.template.TemplateValue;

/**
 * statemachines/*.asl.json against template.yaml: placeholders and DefinitionSubstitutions match both
 * ways, tasks call function aliases, and the pipeline's error handling and payload rules hold.
 */
class StateMachineDefinitionCheckTest {
    /** AWS's "Handle Lambda service exceptions" list (Step Functions developer guide). */
    static final List<String> LAMBDA_TRANSIENT = List.of("Lambda.ServiceException", "Lambda.AWSLambdaException",
            "Lambda.SdkClientException", "Lambda.TooManyRequestsException", "Lambda.ClientExecutionTimeoutException",
            "Lambda.SnapStartNotReadyException");
    /** Names that also match a function timeout or out-of-memory (deterministic for a long pass). */
    static final List<String> CATCH_ALL_ERRORS = List.of("States.ALL", "States.TaskFailed", "States.Timeout",
            "Lambda.Unknown", "Sandbox.Timedout", "Runtime.OutOfMemory");
    static final String INVALID_INPUT = "dev.chunkflow.common.InvalidInput";

    private static JsonNode etlDefinition() {
        return Repo.readJson(Repo.root().resolve("statemachines/etl-pipeline.asl.json"));
    }

    @Test
    void everyAslFileBelongsToAStateMachineAndEveryPlaceholderHasASubstitution() {
        SamTemplate t = Repo.template();
        Map<Path, StateMachineDef> byFile = new LinkedHashMap<>();
        t.stateMachines().values().forEach(sm -> byFile.put(sm.definitionPath(), sm));
        List<Path> files = Repo.list(Repo.root().resolve("statemachines"), "*.asl.json");
        assertFalse(files.isEmpty(), "no statemachines/*.asl.json");
        List<String> problems = new ArrayList<>();
        for (Path file : files) {
            StateMachineDef sm = byFile.get(file.toAbsolutePath().normalize());
            if (sm == null) {
                problems.add(file.getFileName() + " is not the DefinitionUri of any state machine");
                continue;
            }
            Set<String> used = StateMachineDef.placeholders(sm.readDefinition());
            Set<String> declared = new TreeSet<>(sm.substitutions().keySet());
            Set<String> missing = new TreeSet<>(used);
            missing.removeAll(declared);
            Set<String> unused = new TreeSet<>(declared);
            unused.removeAll(used);
            if (!missing.isEmpty()) {
                problems.add(file.getFileName() + ": ${...} without a DefinitionSubstitutions entry in "
                        + sm.logicalId() + ": " + missing);
            }
            if (!unused.isEmpty()) {
                problems.add(sm.logicalId() + ": DefinitionSubstitutions not used by " + file.getFileName() + ": " + unused);
            }
        }
        byFile.keySet().forEach(p -> {
            if (!files.contains(p)) {
                problems.add("DefinitionUri " + Repo.root().relativize(p) + " does not exist");
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void everyFunctionSubstitutionIsAnAliasOfAFunctionOfTheTemplate() {
        SamTemplate t = Repo.template();
        StateMachineDef sm = t.stateMachine("EtlStateMachine").orElseThrow();
        Map<String, String> expected = Map.of(
                "UpdateJobFunctionArn", "UpdateJobFunction",
                "GetChunksFunctionArn", "GetChunksFunction",
                "ProcessChunkFunctionArn", "ProcessChunkFunction",
                "SummarizeFunctionArn", "SummarizeFunction");
        expected.forEach((name, fn) -> {
            assertEquals(java.util.Optional.of(fn), t.functionForSubstitution(name), name);
            assertEquals(new TemplateValue.Ref(fn + ".Alias"), sm.substitutions().get(name),
                    name + " must be !Ref " + fn + ".Alias (SnapStart applies to published versions only)");
        });
        assertEquals(new TemplateValue.Ref("DataBucket"), sm.substitutions().get("DataBucket"));
    }

    @Test
    void everyLambdaTaskRetriesTransientErrorsWithJitterAndNeverRetriesInvalidInput() {
        List<String> problems = new ArrayList<>();
        forEachState(etlDefinition().get("States"), (name, state) -> {
            if (!"arn:aws:states:::lambda:invoke".equals(state.path("Resource").asText())) {
                if ("Task".equals(state.path("Type").asText())) {
                    problems.add(name + ": use the lambda:invoke integration");
                }
                return;
            }
            String fn = state.path("Parameters").path("FunctionName").asText();
            if (!fn.matches("\\$\\{[A-Za-z]+FunctionArn}")) {
                problems.add(name + ": FunctionName must be a ${...FunctionArn} substitution, got " + fn);
            }
            Set<String> retried = new HashSet<>();
            boolean invalidInputHandled = false;
            for (JsonNode retrier : state.path("Retry")) {
                List<String> errors = new ArrayList<>();
                retrier.path("ErrorEquals").forEach(e -> errors.add(e.asText()));
                boolean catchesInvalidInput = errors.contains(INVALID_INPUT) || errors.contains("States.TaskFailed")
                        || errors.contains("States.ALL");
                if (catchesInvalidInput && !invalidInputHandled) {
                    invalidInputHandled = true;
                    if (!errors.contains(INVALID_INPUT) || retrier.path("MaxAttempts").asInt(3) != 0) {
                        problems.add(name + ": the first retrier matching " + INVALID_INPUT + " must be MaxAttempts 0");
                    }
                }
                if (retrier.path("MaxAttempts").asInt(3) > 0) {
                    if (!"FULL".equals(retrier.path("JitterStrategy").asText())
                            || !retrier.has("MaxDelaySeconds") || retrier.path("BackoffRate").asDouble(2) < 1.5) {
                        problems.add(name + ": retrier " + errors + " needs BackoffRate, MaxDelaySeconds and JitterStrategy FULL");
                    }
                    retried.addAll(errors);
                }
            }
            if (!retried.containsAll(LAMBDA_TRANSIENT)) {
                problems.add(name + ": does not retry all of " + LAMBDA_TRANSIENT);
            }
        });
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    /**
     * A task whose function may run for 10 minutes or more retries only transient errors: retrying
     * States.TaskFailed would repeat a deterministic timeout or out-of-memory (GetChunks: up to ~45 minutes).
     */
    @Test
    void longTasksRetryOnlyTransientErrors() {
        List<String> problems = new ArrayList<>();
        forEachState(etlDefinition().get("States"), (name, state) -> {
            String fn = state.path("Parameters").path("FunctionName").asText();
            if (!fn.startsWith("${")) {
                return;
            }
            var def = Repo.template().functionDefForSubstitution(fn.substring(2, fn.length() - 1)).orElseThrow();
            if (def.timeoutSeconds() < 600) {
                return;
            }
            for (JsonNode retrier : state.path("Retry")) {
                if (retrier.path("MaxAttempts").asInt(3) == 0) {
                    continue;
                }
                retrier.path("ErrorEquals").forEach(e -> {
                    if (CATCH_ALL_ERRORS.contains(e.asText())) {
                        problems.add(name + " (" + def.logicalId() + ", Timeout " + def.timeoutSeconds() + " s) retries " + e.asText());
                    }
                });
            }
        });
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    /**
     * An EXPRESS child lives at most 300 seconds. ProcessChunk's batch takes chunks until the child's start
     * plus at most BATCH_TIME_BUDGET_SECONDS' ceiling, and answers at once after it; what may still follow
     * is one retry backoff (MaxDelaySeconds) and the chunk in flight (30 s kept for it), which must fit.
     */
    @Test
    void childBatchesFitTheExpressFiveMinutes() {
        JsonNode dist = etlDefinition().get("States").path("ProcessChunksDistributed");
        assertEquals("EXPRESS", dist.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText());
        JsonNode task = dist.path("ItemProcessor").path("States").path("ProcessChunkBatch");
        assertEquals("$$.Execution.StartTime", task.path("Parameters").path("Payload").path("child_started.$").asText());
        int longestDelay = 0;
        for (JsonNode retrier : task.path("Retry")) {
            if (retrier.path("MaxAttempts").asInt(3) > 0) {
                assertTrue(retrier.has("MaxDelaySeconds"), "every child retrier caps its delay: " + retrier);
                longestDelay = Math.max(longestDelay, retrier.path("MaxDelaySeconds").asInt());
            }
        }
        long budget = dev.chunkflow.settings.Settings.BATCH_TIME_BUDGET_SECONDS.max();
        assertTrue(budget + longestDelay + 30 <= 300, "batch budget " + budget + " s + backoff " + longestDelay
                + " s + 30 s for a chunk in flight exceed an EXPRESS child's 300 s");
        assertFalse(task.has("TimeoutSeconds") && task.path("TimeoutSeconds").asInt() > 300);
    }

    /**
     * A caught failure would route to some recovery state, and a redrive would resume there instead of at the
     * state that failed: no state catches, the job is marked FAILED by the template's JobFailedRule instead.
     */
    @Test
    void noStateCatchesSoARedriveResumesAtTheStateThatFailed() {
        JsonNode states = etlDefinition().get("States");
        List<String> problems = new ArrayList<>();
        states.fields().forEachRemaining(e -> {
            if (e.getValue().has("Catch")) {
                problems.add(e.getKey() + ": has a Catch; let the failure fail the execution (JobFailedRule marks the job)");
            }
            e.getValue().path("ItemProcessor").path("States").fields().forEachRemaining(inner -> {
                if (inner.getValue().has("Catch")) {
                    problems.add(e.getKey() + "/" + inner.getKey() + ": has a Catch");
                }
            });
        });
        assertEquals("Fail", states.path("SourceMissing").path("Type").asText());
        assertEquals(INVALID_INPUT, states.path("SourceMissing").path("Error").asText());
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void pipelineOrderAndMapsKeepTheStateTiny() {
        JsonNode states = etlDefinition().get("States");
        assertEquals("GetChunks", states.path("MarkRunning").path("Next").asText());
        assertEquals("RUNNING", states.path("MarkRunning").path("Parameters").path("Payload").path("status").asText());
        assertEquals("ChoosePlanPath", states.path("GetChunks").path("Next").asText());
        // Fan-out planning: only when GetChunks says FAN_OUT; it ends where one GetChunks invocation ends.
        assertEquals("ChooseMapMode", states.path("ChoosePlanPath").path("Default").asText());
        assertEquals("FAN_OUT", states.path("ChoosePlanPath").path("Choices").path(0).path("StringEquals").asText());
        assertEquals("ShuffleSplits", states.path("ChoosePlanPath").path("Choices").path(0).path("Next").asText());
        assertEquals("CollectShuffle", states.path("ShuffleSplits").path("Next").asText());
        assertEquals("PlanPartitions", states.path("CollectShuffle").path("Next").asText());
        assertEquals("NumberChunks", states.path("PlanPartitions").path("Next").asText());
        assertEquals("ChooseMapMode", states.path("NumberChunks").path("Next").asText());
        assertEquals("$.chunking", states.path("NumberChunks").path("ResultPath").asText());
        for (String map : List.of("ShuffleSplits", "PlanPartitions")) {
            JsonNode m = states.path(map);
            assertTrue(m.path("ResultPath").isNull(), map + " output stays out of the state");
            assertEquals("DISTRIBUTED", m.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText(), map);
            // A planning worker may run up to its 15-minute Timeout; an EXPRESS child would end at 5.
            assertEquals("STANDARD", m.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText(), map);
            assertEquals("arn:aws:states:::s3:getObject", m.path("ItemReader").path("Resource").asText(), map);
            assertEquals(2, m.path("ItemSelector").size(), map + ": only {job_id, item} per child");
        }
        assertEquals("Summarize", states.path("ProcessChunks").path("Next").asText());
        // Distributed passes: a batch stops at its deadline, FindUnprocessed lists what is left, AnotherPass loops
        assertEquals("StartDistributedPasses", states.path("ChooseMapMode").path("Default").asText());
        assertEquals("$.chunking.plan.ids_key", states.path("StartDistributedPasses").path("Parameters").path("ids_key.$").asText());
        assertEquals("FindUnprocessed", states.path("ProcessChunksDistributed").path("Next").asText());
        assertEquals("AnotherPass", states.path("FindUnprocessed").path("Next").asText());
        assertEquals("Summarize", states.path("AnotherPass").path("Default").asText());
        assertEquals("ProcessChunksDistributed", states.path("NextPass").path("Next").asText());
        assertEquals("$.unprocessed.ids_key", states.path("NextPass").path("Parameters").path("ids_key.$").asText());
        assertEquals("$$.Execution.StartTime", states.path("ProcessChunksDistributed").path("ItemProcessor").path("States")
                .path("ProcessChunkBatch").path("Parameters").path("Payload").path("child_started.$").asText(),
                "the batch's deadline counts from its EXPRESS child's start");
        assertEquals("MarkSucceeded", states.path("Summarize").path("Next").asText());
        assertEquals("SUCCEEDED", states.path("MarkSucceeded").path("Parameters").path("Payload").path("status").asText());

        JsonNode inline = states.path("ProcessChunks");
        assertTrue(inline.path("ResultPath").isNull(), "inline Map discards iteration results");
        assertEquals("$$.Map.Item.Value", inline.path("ItemSelector").path("chunk_id.$").asText());
        assertEquals("$.job_id", inline.path("ItemSelector").path("job_id.$").asText());
        assertEquals(2, inline.path("ItemSelector").size(), "only {job_id, chunk_id} per item");
        assertEquals("$.max_concurrency", inline.path("MaxConcurrencyPath").asText());

        JsonNode dist = states.path("ProcessChunksDistributed");
        assertTrue(dist.path("ResultPath").isNull(), "Distributed Map output stays out of the state");
        assertEquals("DISTRIBUTED", dist.path("ItemProcessor").path("ProcessorConfig").path("Mode").asText());
        assertEquals("EXPRESS", dist.path("ItemProcessor").path("ProcessorConfig").path("ExecutionType").asText());
        assertEquals("arn:aws:states:::s3:getObject", dist.path("ItemReader").path("Resource").asText());
        assertEquals("JSON", dist.path("ItemReader").path("ReaderConfig").path("InputType").asText());
        assertEquals("$.pending.ids_key", dist.path("ItemReader").path("Parameters").path("Key.$").asText());
        assertEquals("$.batch_size", dist.path("ItemBatcher").path("MaxItemsPerBatchPath").asText());
        assertEquals("$.job_id", dist.path("ItemBatcher").path("BatchInput").path("job_id.$").asText());
        assertEquals("$.tolerated_failure_percentage", dist.path("ToleratedFailurePercentagePath").asText());
        assertEquals("States.Format('runs/{}/map-results/', $.job_id)",
                dist.path("ResultWriter").path("Parameters").path("Prefix.$").asText());

        // Defaults for the optional settings every Map path reads, so a bare {job_id, source} input works.
        JsonNode defaults = states.path("ApplyDefaults").path("Parameters").path("defaults");
        for (String key : List.of("max_concurrency", "tolerated_failure_percentage", "batch_size")) {
            assertTrue(defaults.has(key), "ApplyDefaults must default " + key);
        }
        assertEquals("States.JsonMerge($.defaults, $.input, false)",
                states.path("MergeDefaults").path("Parameters").path("merged.$").asText());
        assertEquals("ApplyDefaults", etlDefinition().path("StartAt").asText());
    }

    @Test
    void tasksKeepOnlyIdsCountsAndKeysOfTheirResults() {
        // GetChunks' whole result is kept: it is bounded by contract ({job_id, counts, keys, map_mode,
        // chunk_ids only when INLINE}); every other task result is cut to named small fields.
        Set<String> allowed = Set.of("$.Payload", "$.Payload.rows_in", "$.Payload.rows_out", "$.Payload.rows_rejected",
                "$.Payload.summary_key", "$.Payload.report_key", "$.Payload.success_key", "$.Payload.status",
                "$.Payload.version", "$.Payload.unprocessed", "$.Payload.ids_key", "$.Payload.rows", "$.Payload.chunks",
                "$.Payload.partitions_key", "$.Payload.num_partitions");
        List<String> problems = new ArrayList<>();
        forEachState(etlDefinition().get("States"), (name, state) -> {
            if (!"arn:aws:states:::lambda:invoke".equals(state.path("Resource").asText())) {
                return;
            }
            if (!state.has("ResultSelector") && !state.path("ResultPath").isNull()) {
                problems.add(name + ": keep the Lambda response out of the state (ResultSelector or ResultPath null)");
            }
            state.path("ResultSelector").fields().forEachRemaining(f -> {
                if (!allowed.contains(f.getValue().asText())) {
                    problems.add(name + ": ResultSelector keeps " + f.getValue().asText());
                }
            });
        });
        String text = withoutComments(etlDefinition()).toString().toLowerCase(java.util.Locale.ROOT);
        if (text.contains("ssn")) {
            problems.add("a state selects or sets an ssn field");
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    private static JsonNode withoutComments(JsonNode node) {
        JsonNode copy = node.deepCopy();
        strip(copy);
        return copy;
    }

    private static void strip(JsonNode node) {
        if (node.isObject()) {
            ((com.fasterxml.jackson.databind.node.ObjectNode) node).remove("Comment");
        }
        node.forEach(StateMachineDefinitionCheckTest::strip);
    }

    private interface StateVisitor {
        void visit(String name, JsonNode state);
    }

    private static void forEachState(JsonNode states, StateVisitor visitor) {
        states.fields().forEachRemaining(e -> {
            visitor.visit(e.getKey(), e.getValue());
            JsonNode processor = e.getValue().has("ItemProcessor") ? e.getValue().get("ItemProcessor") : e.getValue().get("Iterator");
            if (processor != null) {
                forEachState(processor.get("States"), visitor);
            }
            for (JsonNode branch : e.getValue().path("Branches")) {
                forEachState(branch.get("States"), visitor);
            }
        });
    }
}
