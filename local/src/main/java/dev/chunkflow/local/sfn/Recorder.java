package dev.chunkflow.local.sfn;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.asl.HistoryEvent;
import dev.chunkflow.local.lambda.LocalArns;

/**
 * The listener of one execution's engine: appends the execution's events to its history.jsonl in
 * GetExecutionHistory's wire shape (timestamps in epoch seconds), the Distributed Map children's
 * events in compact form to children.jsonl, and keeps the Map runs and item counts (map-runs.json).
 */
final class Recorder implements ExecutionListener {
    private static final long MAP_SAVE_INTERVAL_MS = 250;

    private final ExecutionStore store;
    private final String stateMachineName;
    private final String executionName;
    private final String executionArn;
    private final ExecutionStore.LineWriter history;
    private final ExecutionStore.LineWriter children;
    private final ArrayNode mapRuns = AslJson.NODES.arrayNode();
    private final Map<String, ObjectNode> progress = new LinkedHashMap<>();
    private String lastMapState;
    private long lastEventId;
    private long lastMapSave;

    Recorder(ExecutionStore store, String stateMachineName, String executionName) {
        this.store = store;
        this.stateMachineName = stateMachineName;
        this.executionName = executionName;
        this.executionArn = LocalArns.execution(stateMachineName, executionName);
        this.history = store.lines(stateMachineName, executionName, "history.jsonl");
        this.children = store.lines(stateMachineName, executionName, "children.jsonl");
        // a redrive continues the execution: its Map runs, counts and event ids go on from the earlier attempts
        store.mapRuns(stateMachineName, executionName).ifPresent(earlier -> {
            earlier.withArray("mapRuns").forEach(mapRuns::add);
            earlier.path("progress").fields().forEachRemaining(f -> progress.put(f.getKey(), (ObjectNode) f.getValue()));
        });
        store.history(stateMachineName, executionName).forEach(e -> lastEventId = Math.max(lastEventId, e.path("id").asLong()));
    }

    @Override
    public void onEvent(String execution, HistoryEvent event) {
        if (execution.equals(executionName)) {
            onOwnEvent(event);
        } else {
            ObjectNode c = AslJson.NODES.objectNode();
            c.put("child", execution);
            c.put("id", event.id());
            c.put("previousEventId", event.previousEventId());
            c.put("timestamp", LocalExecutions.epochSeconds(event.timestamp()));
            c.put("type", event.type());
            ObjectNode d = event.details();
            if (d != null) {
                for (String f : new String[] {"name", "resource", "error"}) {
                    if (d.has(f)) {
                        c.set(f, d.get(f));
                    }
                }
                if (d.has("parameters")) {
                    // an optimized Lambda integration: the function is a parameter
                    try {
                        c.put("function", AslJson.parse(d.get("parameters").asText()).path("FunctionName").asText(""));
                    } catch (RuntimeException ignored) {
                        // parameters that are not JSON name no function
                    }
                }
                if (d.has("input")) {
                    c.put("inputBytes", utf8Length(d.get("input").asText()));
                }
                if (d.has("output")) {
                    c.put("outputBytes", utf8Length(d.get("output").asText()));
                }
            }
            children.append(c);
        }
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private void onOwnEvent(HistoryEvent event) {
        ObjectNode wire = event.toJson();
        wire.put("timestamp", LocalExecutions.epochSeconds(event.timestamp()));
        history.append(wire);
        ObjectNode d = event.details();
        synchronized (this) {
            lastEventId = Math.max(lastEventId, event.id());
            switch (event.type()) {
                case "MapStateEntered" -> lastMapState = d == null ? null : d.path("name").asText(null);
                case "MapRunStarted" -> {
                    String startedArn = d == null ? "" : d.path("mapRunArn").asText();
                    ObjectNode r = null;
                    for (JsonNode earlier : mapRuns) {
                        if (earlier.path("mapRunArn").asText().equals(startedArn)) {
                            r = (ObjectNode) earlier; // a redriven Map Run keeps its ARN
                        }
                    }
                    if (r == null) {
                        r = mapRuns.addObject();
                    }
                    r.remove("stopDate");
                    r.put("mapRunArn", startedArn);
                    r.put("executionArn", executionArn);
                    String arn = r.path("mapRunArn").asText();
                    // arn:aws:states:REGION:ACCOUNT:mapRun:MACHINE/LABEL:RUN_ID -> the child state machine
                    String machine = arn.contains(":mapRun:") ? arn.substring(arn.indexOf(":mapRun:") + 8, arn.lastIndexOf(':')) : "";
                    r.put("stateMachineArn", LocalArns.stateMachine(machine));
                    r.put("stateName", lastMapState);
                    r.put("status", "RUNNING");
                    r.put("startDate", LocalExecutions.epochSeconds(event.timestamp()));
                    save(true);
                }
                case "MapRunSucceeded", "MapRunFailed", "MapRunAborted" -> {
                    for (JsonNode r : mapRuns) {
                        if ("RUNNING".equals(r.path("status").asText())) {
                            ((ObjectNode) r).put("status", event.type().substring("MapRun".length()).toUpperCase());
                            ((ObjectNode) r).put("stopDate", LocalExecutions.epochSeconds(event.timestamp()));
                        }
                    }
                    save(true);
                }
                default -> {
                }
            }
        }
    }

    @Override
    public synchronized void onMapProgress(String mapState, int completed, int failed, int total) {
        ObjectNode p = progress.computeIfAbsent(mapState, k -> AslJson.NODES.objectNode());
        p.put("succeeded", completed - failed);
        p.put("failed", failed);
        p.put("total", total);
        p.put("running", Math.max(0, total - completed));
        for (JsonNode r : mapRuns) {
            if (mapState.equals(r.path("stateName").asText()) && "RUNNING".equals(r.path("status").asText())) {
                ObjectNode counts = AslJson.NODES.objectNode();
                counts.put("pending", 0);
                counts.put("running", Math.max(0, total - completed));
                counts.put("succeeded", completed - failed);
                counts.put("failed", failed);
                counts.put("timedOut", 0);
                counts.put("aborted", 0);
                counts.put("total", total);
                counts.put("resultsWritten", completed - failed);
                ((ObjectNode) r).set("executionCounts", counts);
                ((ObjectNode) r).set("itemCounts", counts.deepCopy());
            }
        }
        save(false);
    }

    /** ExecutionAborted as StopExecution writes it. */
    synchronized void aborted(String error, String cause) {
        ObjectNode e = AslJson.NODES.objectNode();
        e.put("id", lastEventId + 1);
        e.put("previousEventId", lastEventId);
        e.put("timestamp", LocalExecutions.epochSeconds(Instant.now()));
        e.put("type", "ExecutionAborted");
        ObjectNode d = e.putObject("executionAbortedEventDetails");
        if (error != null) {
            d.put("error", error);
        }
        if (cause != null) {
            d.put("cause", cause);
        }
        history.append(e);
        close();
    }

    synchronized ObjectNode mapRunsSnapshot() {
        ObjectNode all = AslJson.NODES.objectNode();
        all.set("mapRuns", mapRuns.deepCopy());
        ObjectNode p = all.putObject("progress");
        progress.forEach((k, v) -> p.set(k, v.deepCopy()));
        return all;
    }

    private void save(boolean force) {
        long now = System.currentTimeMillis();
        if (force || now - lastMapSave >= MAP_SAVE_INTERVAL_MS) {
            lastMapSave = now;
            store.saveMapRuns(stateMachineName, executionName, mapRunsSnapshot());
        }
    }

    synchronized void close() {
        save(true);
        history.close();
        children.close();
    }
}
