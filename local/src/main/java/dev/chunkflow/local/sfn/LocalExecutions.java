package dev.chunkflow.local.sfn;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint.ServiceError;

/**
 * The executions of one local state machine, with the semantics of a Standard workflow: the execution
 * name is unique (across processes: executions persist in an {@link ExecutionStore}); a repeated
 * StartExecution with the same name and input while that execution runs returns it again
 * (idempotent), anything else with a used name is {@code ExecutionAlreadyExists}. Each execution runs
 * on its own engine (built by the factory, history recording on) whose listener writes the history as
 * it happens, so DescribeExecution, GetExecutionHistory and the console see a running execution live.
 */
public final class LocalExecutions implements LocalStepFunctionsEndpoint.ExecutionBackend, AutoCloseable {
    static final String ORPHAN_CAUSE = "the chunkflow process running this execution stopped before it finished";

    private final String stateMachineArn;
    private final String stateMachineName;
    private final String definitionJson;
    private final StateMachine definition;
    private final Function<ExecutionListener, AslEngine> engines;
    private final ExecutionStore store;
    private final Instant created = Instant.now();
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-execution");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Live> live = new ConcurrentHashMap<>();
    private final java.util.function.Consumer<ObjectNode> statusChanges;

    /**
     * @param engines builds the engine of one execution around the given listener; it must record
     *                history ({@code recordHistory(true)}) for GetExecutionHistory to carry details
     */
    public LocalExecutions(String stateMachineArn, String definitionJson, Function<ExecutionListener, AslEngine> engines,
                           ExecutionStore store) {
        this(stateMachineArn, definitionJson, engines, store, record -> {
        });
    }

    /**
     * @param statusChanges told each record (DescribeExecution's shape) once the execution ended (SUCCEEDED,
     *                      FAILED, ABORTED) or was redriven (RUNNING, redriveCount above 0), before {@link #await}
     *                      returns: where EventBridge's "Step Functions Execution Status Change" is emulated
     */
    public LocalExecutions(String stateMachineArn, String definitionJson, Function<ExecutionListener, AslEngine> engines,
                           ExecutionStore store, java.util.function.Consumer<ObjectNode> statusChanges) {
        this.statusChanges = statusChanges;
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        this.definitionJson = definitionJson;
        this.definition = StateMachine.parse(definitionJson);
        this.engines = engines;
        this.store = store;
        store.saveDefinition(stateMachineName, definitionJson);
        abortOrphans();
    }

    /** Executions left RUNNING by a process that is gone can never finish: they are ABORTED, as a stop would. */
    private void abortOrphans() {
        for (ObjectNode e : store.executions(stateMachineName)) {
            if ("RUNNING".equals(e.path("status").asText())) {
                e.put("status", "ABORTED");
                e.put("stopDate", epochSeconds(Instant.now()));
                e.put("cause", ORPHAN_CAUSE);
                store.saveExecution(stateMachineName, e);
                statusChanged(e);
            }
        }
    }

    public String stateMachineArn() {
        return stateMachineArn;
    }

    public String stateMachineName() {
        return stateMachineName;
    }

    public String definitionJson() {
        return definitionJson;
    }

    public ExecutionStore store() {
        return store;
    }

    @Override
    public synchronized Map<String, Object> startExecution(String arn, String name, String input) {
        if (!arn.equals(stateMachineArn)) {
            requireArn(arn, "stateMachine");
            throw new ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        String execName = name == null ? java.util.UUID.randomUUID().toString() : name;
        if (!execName.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new ServiceError("InvalidName", "Invalid Name: '" + execName + "'");
        }
        String inputJson = input == null ? "{}" : input;
        int size = inputJson.getBytes(StandardCharsets.UTF_8).length;
        if (size > AwsLimits.SFN_STATE_PAYLOAD_BYTES) {
            throw new ServiceError("InvalidExecutionInput", "The input is " + size + " bytes; the limit is "
                    + AwsLimits.SFN_STATE_PAYLOAD_BYTES + " bytes");
        }
        JsonNode parsed;
        try {
            parsed = AslJson.parse(inputJson);
        } catch (RuntimeException e) {
            throw new ServiceError("InvalidExecutionInput", "Invalid State Machine Execution Input: '" + e.getMessage() + "'");
        }
        Optional<ObjectNode> existing = store.execution(stateMachineName, execName);
        if (existing.isPresent()) {
            ObjectNode e = existing.get();
            if ("RUNNING".equals(e.path("status").asText()) && e.path("input").asText().equals(inputJson)) {
                return started(e);
            }
            throw new ServiceError("ExecutionAlreadyExists", "Execution Already Exists: '" + e.path("executionArn").asText() + "'");
        }
        ObjectNode record = AslJson.NODES.objectNode();
        record.put("executionArn", LocalArns.execution(stateMachineName, execName));
        record.put("stateMachineArn", stateMachineArn);
        record.put("name", execName);
        record.put("status", "RUNNING");
        record.put("startDate", epochSeconds(Instant.now()));
        record.put("input", inputJson);
        record.putObject("inputDetails").put("included", true);
        record.put("redriveCount", 0);
        store.saveExecution(stateMachineName, record);
        Recorder recorder = new Recorder(store, stateMachineName, execName);
        Live run = new Live(record, recorder);
        live.put(execName, run);
        run.task = runner.submit(() -> run(run, parsed));
        return started(record);
    }

    /** How long after its end an execution may be redriven (AWS: 14 days). */
    public static final java.time.Duration REDRIVE_WINDOW = java.time.Duration.ofDays(14);
    /** AWS's hard limit on the redrives of one execution. */
    static final int MAX_REDRIVES = 1000;

    /**
     * RedriveExecution: a FAILED, TIMED_OUT or ABORTED execution that ended within {@link #REDRIVE_WINDOW}
     * continues under its own name, from the states that failed (see {@link RedrivePlanner}), with its
     * history appended to; {@code ExecutionNotRedrivable} otherwise.
     */
    @Override
    public synchronized Map<String, Object> redriveExecution(String executionArn) {
        ObjectNode rec = record(executionArn);
        String name = rec.path("name").asText();
        String status = rec.path("status").asText();
        if (!List.of("FAILED", "TIMED_OUT", "ABORTED").contains(status)) {
            throw new ServiceError("ExecutionNotRedrivable", "Execution is " + status + " and cannot be redriven: '" + executionArn + "'");
        }
        Live previous = live.get(name);
        if (previous != null && !previous.result.isDone()) {
            throw new ServiceError("ExecutionNotRedrivable", "Execution is still being stopped: '" + executionArn + "'");
        }
        Instant now = Instant.now();
        Instant stopped = Instant.ofEpochMilli(Math.round(rec.path("stopDate").asDouble(0) * 1000));
        if (stopped.plus(REDRIVE_WINDOW).isBefore(now)) {
            throw new ServiceError("ExecutionNotRedrivable", "Execution ended at " + stopped + ", more than "
                    + REDRIVE_WINDOW.toDays() + " days ago, and cannot be redriven: '" + executionArn + "'");
        }
        if (rec.path("redriveCount").asInt(0) >= MAX_REDRIVES) {
            throw new ServiceError("ExecutionLimitExceeded", "Execution was redriven " + MAX_REDRIVES + " times already: '" + executionArn + "'");
        }
        dev.chunkflow.local.asl.RedrivePlan plan = RedrivePlanner.plan(definitionJson, rec,
                store.history(stateMachineName, name), store.children(stateMachineName, name));
        ObjectNode record = rec.deepCopy();
        record.remove(List.of("stopDate", "error", "cause", "output", "outputDetails"));
        record.put("status", "RUNNING");
        record.put("redriveCount", plan.redriveCount());
        record.put("redriveDate", epochSeconds(now));
        store.saveExecution(stateMachineName, record);
        Recorder recorder = new Recorder(store, stateMachineName, name);
        Live run = new Live(record, recorder);
        live.put(name, run);
        statusChanged(record);
        JsonNode input = AslJson.parse(record.path("input").asText("{}"));
        run.task = runner.submit(() -> run(run, engine -> engine.redrive(definition, input, name, plan)));
        return Map.of("redriveDate", epochSeconds(now));
    }

    private void run(Live run, JsonNode input) {
        run(run, engine -> engine.execute(definition, input, run.name()));
    }

    private void run(Live run, Function<AslEngine, ExecutionResult> body) {
        ExecutionResult result = null;
        try (AslEngine engine = engines.apply(run.recorder)) {
            run.engine = engine;
            result = body.apply(engine);
        } catch (RuntimeException e) {
            result = new ExecutionResult(run.arn(), ExecutionStatus.FAILED, null, "States.Runtime",
                    "the local engine failed: " + e, null, List.of());
        } finally {
            finish(run, result);
        }
    }

    private void finish(Live run, ExecutionResult r) {
        synchronized (run) {
            if (!run.stopped && r != null) {
                ObjectNode rec = run.record.deepCopy();
                rec.put("status", r.status().name());
                rec.put("stopDate", epochSeconds(Instant.now()));
                if (r.status() == ExecutionStatus.SUCCEEDED) {
                    rec.put("output", r.output() == null ? "null" : AslJson.write(r.output()));
                    rec.putObject("outputDetails").put("included", true);
                } else {
                    if (r.error() != null) {
                        rec.put("error", r.error());
                    }
                    if (r.cause() != null) {
                        rec.put("cause", r.cause());
                    }
                }
                store.saveExecution(stateMachineName, rec);
                run.recorder.close();
                statusChanged(rec);
            } else {
                run.recorder.close();
            }
        }
        run.result.complete(r);
    }

    /** A listener failure must not change the execution's outcome (EventBridge delivery is separate). */
    private void statusChanged(ObjectNode record) {
        try {
            statusChanges.accept(record.deepCopy());
        } catch (RuntimeException e) {
            dev.chunkflow.common.Log.warn("execution status change listener failed", "execution", record.path("name").asText(),
                    "error", e.getClass().getSimpleName());
        }
    }

    private static Map<String, Object> started(ObjectNode e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionArn", e.path("executionArn").asText());
        m.put("startDate", e.path("startDate").asDouble());
        return m;
    }

    @Override
    public Map<String, Object> describeExecution(String executionArn) {
        return toMap(record(executionArn));
    }

    private ObjectNode record(String executionArn) {
        String name = executionName(executionArn);
        return store.execution(stateMachineName, name)
                .orElseThrow(() -> new ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'"));
    }

    /** The execution name in an ARN of this state machine; InvalidArn for malformed ones, ExecutionDoesNotExist for others. */
    private String executionName(String executionArn) {
        requireArn(executionArn, "execution");
        String prefix = "arn:aws:states:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":execution:" + stateMachineName + ":";
        if (!executionArn.startsWith(prefix) || executionArn.length() == prefix.length()) {
            throw new ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
        }
        return executionArn.substring(prefix.length());
    }

    static void requireArn(String arn, String resourceType) {
        String[] p = arn.split(":", -1);
        if (p.length < 7 || !p[0].equals("arn") || !p[2].equals("states") || !p[5].equals(resourceType) || p[6].isEmpty()) {
            throw new ServiceError("InvalidArn", "Invalid Arn: 'Resource type not valid in this context: " + arn + "'");
        }
    }

    @Override
    public Map<String, Object> stopExecution(String executionArn, String error, String cause) {
        ObjectNode rec = record(executionArn);
        String name = rec.path("name").asText();
        Live run = live.get(name);
        double stopDate = epochSeconds(Instant.now());
        if (!"RUNNING".equals(rec.path("status").asText())) {
            return Map.of("stopDate", rec.path("stopDate").asDouble(stopDate));
        }
        ObjectNode stopped = rec.deepCopy();
        stopped.put("status", "ABORTED");
        stopped.put("stopDate", stopDate);
        if (error != null) {
            stopped.put("error", error);
        }
        if (cause != null) {
            stopped.put("cause", cause);
        }
        if (run == null) {
            store.saveExecution(stateMachineName, stopped);
            statusChanged(stopped);
            return Map.of("stopDate", stopDate);
        }
        synchronized (run) {
            run.stopped = true;
            store.saveExecution(stateMachineName, stopped);
            run.recorder.aborted(error, cause);
        }
        statusChanged(stopped);
        // In-flight Lambda invocations finish on their own, as on AWS; the execution takes no further step.
        if (run.task != null) {
            run.task.cancel(true);
        }
        AslEngine engine = run.engine;
        if (engine != null) {
            engine.close();
        }
        return Map.of("stopDate", stopDate);
    }

    @Override
    public Map<String, Object> listExecutions(String smArn, String statusFilter, int maxResults, String nextToken) {
        if (!smArn.equals(stateMachineArn)) {
            requireArn(smArn, "stateMachine");
            throw new ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + smArn + "'");
        }
        List<Object> items = new ArrayList<>();
        for (ObjectNode e : store.executions(stateMachineName)) {
            if (statusFilter == null || statusFilter.equals(e.path("status").asText())) {
                ObjectNode item = AslJson.NODES.objectNode();
                for (String f : List.of("executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate", "redriveCount")) {
                    if (e.has(f)) {
                        item.set(f, e.get(f));
                    }
                }
                items.add(item);
            }
        }
        return page("executions", items, maxResults, nextToken);
    }

    @Override
    public Map<String, Object> getExecutionHistory(String executionArn, int maxResults, boolean reverseOrder, String nextToken,
                                                   boolean includeExecutionData) {
        ObjectNode rec = record(executionArn);
        ArrayNode events = store.history(stateMachineName, rec.path("name").asText());
        List<Object> items = new ArrayList<>();
        events.forEach(e -> {
            ObjectNode copy = (ObjectNode) e.deepCopy();
            if (!includeExecutionData) {
                copy.properties().forEach(f -> {
                    if (f.getValue() instanceof ObjectNode d) {
                        d.remove(List.of("input", "output", "inputDetails", "outputDetails"));
                    }
                });
            }
            items.add(copy);
        });
        // concurrent Map iterations append their events as emitted, not always in id order
        items.sort(java.util.Comparator.comparingLong(e -> ((ObjectNode) e).path("id").asLong()));
        if (reverseOrder) {
            java.util.Collections.reverse(items);
        }
        return page("events", items, maxResults, nextToken);
    }

    @Override
    public Map<String, Object> describeStateMachine(String arn) {
        if (!arn.equals(stateMachineArn)) {
            requireArn(arn, "stateMachine");
            throw new ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        Map<String, Object> m = new LinkedHashMap<>(stateMachineSummary());
        m.put("status", "ACTIVE");
        m.put("definition", definitionJson);
        m.put("roleArn", "arn:aws:iam::" + LocalArns.ACCOUNT + ":role/" + stateMachineName + "-role");
        m.put("loggingConfiguration", Map.of("level", "OFF", "includeExecutionData", false));
        return m;
    }

    public Map<String, Object> stateMachineSummary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("stateMachineArn", stateMachineArn);
        m.put("name", stateMachineName);
        m.put("type", "STANDARD");
        m.put("creationDate", epochSeconds(created));
        return m;
    }

    @Override
    public Map<String, Object> listStateMachines(int maxResults, String nextToken) {
        return page("stateMachines", List.of(stateMachineSummary()), maxResults, nextToken);
    }

    @Override
    public Map<String, Object> listMapRuns(String executionArn, int maxResults, String nextToken) {
        ObjectNode rec = record(executionArn);
        List<Object> items = new ArrayList<>();
        mapRuns(rec.path("name").asText()).forEach(r -> {
            ObjectNode item = AslJson.NODES.objectNode();
            for (String f : List.of("executionArn", "mapRunArn", "stateMachineArn", "startDate", "stopDate")) {
                if (r.has(f)) {
                    item.set(f, r.get(f));
                }
            }
            items.add(item);
        });
        return page("mapRuns", items, maxResults, nextToken);
    }

    @Override
    public Map<String, Object> describeMapRun(String mapRunArn) {
        requireArn(mapRunArn, "mapRun");
        for (ObjectNode e : store.executions(stateMachineName)) {
            for (JsonNode r : mapRuns(e.path("name").asText())) {
                if (r.path("mapRunArn").asText().equals(mapRunArn)) {
                    ObjectNode copy = (ObjectNode) r.deepCopy();
                    copy.remove("stateName");
                    return toMap(copy);
                }
            }
        }
        throw new ServiceError("ResourceNotFound", "Map Run Does Not Exist: '" + mapRunArn + "'");
    }

    private ArrayNode mapRuns(String executionName) {
        Live run = live.get(executionName);
        if (run != null) {
            return run.recorder.mapRunsSnapshot().withArray("mapRuns");
        }
        return store.mapRuns(stateMachineName, executionName).map(o -> o.withArray("mapRuns")).orElse(AslJson.NODES.arrayNode());
    }

    /** Every Map state's item counts of an execution (inline and distributed), for the console. */
    public ObjectNode mapProgress(String executionName) {
        Live run = live.get(executionName);
        ObjectNode all = run != null ? run.recorder.mapRunsSnapshot()
                : store.mapRuns(stateMachineName, executionName).orElse(AslJson.NODES.objectNode());
        return all.has("progress") ? (ObjectNode) all.get("progress") : AslJson.NODES.objectNode();
    }

    private static Map<String, Object> page(String key, List<Object> items, int maxResults, String nextToken) {
        int size = maxResults <= 0 ? 100 : Math.min(maxResults, 1000);
        int from = 0;
        if (nextToken != null) {
            try {
                from = Integer.parseInt(new String(Base64.getDecoder().decode(nextToken), StandardCharsets.UTF_8));
            } catch (RuntimeException e) {
                throw new ServiceError("InvalidToken", "Invalid Token: '" + nextToken + "'");
            }
        }
        int to = Math.min(items.size(), from + size);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(key, from >= items.size() ? List.of() : items.subList(from, to));
        if (to < items.size()) {
            m.put("nextToken", Base64.getEncoder().encodeToString(String.valueOf(to).getBytes(StandardCharsets.UTF_8)));
        }
        return m;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> toMap(ObjectNode n) {
        return AslJson.MAPPER.convertValue(n, Map.class);
    }

    static double epochSeconds(Instant t) {
        return t.toEpochMilli() / 1000.0;
    }

    /** Waits for an execution started through the API and returns its full result (stats included). */
    public ExecutionResult await(String executionArn, long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        Live run = live.get(executionName(executionArn));
        if (run == null) {
            throw new ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
        }
        try {
            return run.result.get(timeout, unit);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the local engine crashed: " + e.getCause(), e.getCause());
        }
    }

    /** Executions started by this process. */
    public int started() {
        return live.size();
    }

    @Override
    public void close() {
        for (Live run : live.values()) {
            if (!run.result.isDone()) {
                stopExecution(run.arn(), "chunkflow.Stopped", ORPHAN_CAUSE);
            }
        }
        runner.shutdownNow();
    }

    /** An execution this process runs. */
    private static final class Live {
        final ObjectNode record;
        final Recorder recorder;
        final CompletableFuture<ExecutionResult> result = new CompletableFuture<>();
        volatile Future<?> task;
        volatile AslEngine engine;
        boolean stopped;

        Live(ObjectNode record, Recorder recorder) {
            this.record = record;
            this.recorder = recorder;
        }

        String name() {
            return record.path("name").asText();
        }

        String arn() {
            return record.path("executionArn").asText();
        }
    }
}
