package dev.chunkflow.local.asl;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Map states. INLINE: iterations in the parent's history, on up to MaxConcurrency threads (at most
 * 40, as AWS). DISTRIBUTED: items from ItemReader or ItemsPath, optional ItemBatcher, each item or
 * batch a child execution (STANDARD or EXPRESS) with its own history, tolerated failures, ResultWriter.
 */
final class MapRunner {
    /** Upper bound of Distributed Map MaxConcurrency in AWS (also its default, 0 meaning the same). */
    private static final int DISTRIBUTED_MAX_CONCURRENCY = 10_000;

    private final ExecutionEnv env;
    private final Interpreter interpreter;

    MapRunner(ExecutionEnv env, Interpreter interpreter) {
        this.env = env;
        this.interpreter = interpreter;
    }

    JsonNode run(MapState m, JsonNode eff, Interpreter.StateRun run) {
        return m.mode == MapState.Mode.INLINE ? inline(m, eff, run) : distributed(m, eff, run);
    }

    private JsonNode inline(MapState m, JsonNode eff, Interpreter.StateRun run) {
        Scope scope = run.scope;
        ArrayNode items = itemsFromPath(m, eff, run);
        int concurrency = concurrency(m, eff, run, true);
        Tolerance tolerance = Tolerance.of(m, eff, run, items.size());
        scope.event("MapStateStarted", d -> d.put("length", items.size()));
        JsonNode[] results = new JsonNode[items.size()];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failed = new AtomicInteger();
        // a redrive runs only the iterations that did not succeed; the others' results are not kept locally
        java.util.Set<Integer> skip = scope.ex.redriveSkips(m.name);
        try {
            Group.run(env.pool(), items.size(), concurrency, scope, (i, it) -> {
                if (skip.contains(i)) {
                    results[i] = AslJson.NODES.nullNode();
                    env.listener().onMapProgress(m.name, done.incrementAndGet(), failed.get(), items.size());
                    return;
                }
                JsonNode input = select(m, eff, i, items.get(i), run);
                it.event("MapIterationStarted", d -> d.put("name", m.name).put("index", i));
                try {
                    results[i] = interpreter.runBlock(m.processor, input, it);
                    it.event("MapIterationSucceeded", d -> d.put("name", m.name).put("index", i));
                } catch (StatesFailure f) {
                    Interpreter.quietEvent(it, "MapIterationFailed", d -> d.put("name", m.name).put("index", i));
                    failed.incrementAndGet();
                    if (tolerance == null) {
                        throw f;
                    }
                    results[i] = errorOutput(f.error(), f.cause());
                    tolerance.check(failed.get());
                } catch (Scope.Aborted a) {
                    Interpreter.quietEvent(it, "MapIterationAborted", d -> d.put("name", m.name).put("index", i));
                    throw a;
                } finally {
                    env.listener().onMapProgress(m.name, done.incrementAndGet(), failed.get(), items.size());
                }
            });
        } catch (StatesFailure f) {
            Interpreter.quietEvent(scope, "MapStateFailed", null);
            throw f;
        }
        scope.event("MapStateSucceeded", null);
        ArrayNode out = AslJson.NODES.arrayNode();
        for (JsonNode r : results) {
            out.add(r);
        }
        return out;
    }

    private JsonNode distributed(MapState m, JsonNode eff, Interpreter.StateRun run) {
        Scope scope = run.scope;
        Execution parent = scope.ex;
        ArrayNode items = m.itemReader != null ? new DistributedIO(env.s3()).readItems(m, eff, run) : itemsFromPath(m, eff, run);
        List<JsonNode> selected = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            selected.add(select(m, eff, i, items.get(i), run));
        }
        List<ChildInput> children = batches(m, eff, selected, run);
        int concurrency = Math.min(concurrency(m, eff, run, false), env.config().distributedMapThreads());
        Tolerance tolerance = Tolerance.of(m, eff, run, selected.size());
        String label = m.label != null ? m.label : m.name;
        String childMachine = parent.stateMachineName + "/" + label;
        // a redrive continues the same Map Run and runs only the children that did not succeed
        String continued = parent.redriveMapRunArn(m.name);
        java.util.Set<Integer> skip = parent.redriveSkips(m.name);
        String runId = continued != null ? continued.substring(continued.lastIndexOf(':') + 1) : UUID.randomUUID().toString();
        String mapRunArn = "arn:aws:states:" + env.config().region() + ":" + env.config().accountId() + ":mapRun:"
                + childMachine + ":" + runId;
        scope.event("MapStateStarted", d -> d.put("length", selected.size()));
        scope.event("MapRunStarted", d -> d.put("mapRunArn", mapRunArn));
        ChildRecord[] records = new ChildRecord[children.size()];
        AtomicInteger done = new AtomicInteger();
        AtomicInteger failedChildren = new AtomicInteger();
        AtomicInteger failedItems = new AtomicInteger();
        JsonNode result;
        try {
            Group.run(env.pool(), children.size(), concurrency, scope, (i, it) -> {
                if (skip.contains(i)) {
                    env.listener().onMapProgress(m.name, done.incrementAndGet(), failedChildren.get(), children.size());
                    return;
                }
                ChildInput in = children.get(i);
                String name = runId.substring(0, 8) + "-" + String.format("%06d", i);
                Execution child = new Execution(env, childMachine, name, in.input(), "STANDARD".equals(m.executionType));
                Interpreter.Outcome o = interpreter.run(m.processor, child);
                env.stats().childFinished(child.history.count());
                records[i] = new ChildRecord(child, o, env.time().now());
                try {
                    if (!o.succeeded()) {
                        failedChildren.incrementAndGet();
                        int f = failedItems.addAndGet(in.itemCount());
                        Tolerance t = tolerance == null ? Tolerance.zero(selected.size()) : tolerance;
                        t.check(f);
                    }
                } finally {
                    env.listener().onMapProgress(m.name, done.incrementAndGet(), failedChildren.get(), children.size());
                }
            });
            result = m.resultWriter != null
                    ? new DistributedIO(env.s3()).writeResults(m, eff, run, mapRunArn, runId, records)
                    : outputs(records);
        } catch (StatesFailure f) {
            Interpreter.quietEvent(scope, "MapRunFailed", d -> {
                if (f.error() != null) {
                    d.put("error", f.error());
                }
                if (f.cause() != null) {
                    d.put("cause", f.cause());
                }
            });
            Interpreter.quietEvent(scope, "MapStateFailed", null);
            throw f;
        }
        scope.event("MapRunSucceeded", null);
        scope.event("MapStateSucceeded", null);
        return result;
    }

    /** A finished child execution (stop time for ResultWriter). */
    record ChildRecord(Execution execution, Interpreter.Outcome outcome, Instant stopped) {
    }

    private record ChildInput(JsonNode input, int itemCount) {
    }

    private static ArrayNode outputs(ChildRecord[] records) {
        ArrayNode out = AslJson.NODES.arrayNode();
        for (ChildRecord r : records) {
            if (r == null) {
                continue;
            }
            out.add(r.outcome().succeeded() ? r.outcome().output() : errorOutput(r.outcome().error(), r.outcome().cause()));
        }
        return out;
    }

    static ObjectNode errorOutput(String error, String cause) {
        ObjectNode n = AslJson.NODES.objectNode();
        if (error != null) {
            n.put("Error", error);
        }
        if (cause != null) {
            n.put("Cause", cause);
        }
        return n;
    }

    private List<ChildInput> batches(MapState m, JsonNode eff, List<JsonNode> items, Interpreter.StateRun run) {
        List<ChildInput> out = new ArrayList<>();
        if (m.itemBatcher == null) {
            items.forEach(i -> out.add(new ChildInput(i, 1)));
            return out;
        }
        Long maxItems = optionalInt(m.itemBatcher, "MaxItemsPerBatch", eff, run);
        Long maxBytes = optionalInt(m.itemBatcher, "MaxInputBytesPerBatch", eff, run);
        if (maxItems == null && maxBytes == null) {
            throw StatesFailure.runtime("ItemBatcher needs MaxItemsPerBatch or MaxInputBytesPerBatch");
        }
        JsonNode batchInput = m.batchInput == null ? null : m.batchInput.apply(eff, run);
        ArrayNode current = AslJson.NODES.arrayNode();
        int currentBytes = 0;
        for (JsonNode item : items) {
            int size = AslJson.utf8Size(item);
            boolean full = maxItems != null && current.size() >= maxItems
                    || maxBytes != null && !current.isEmpty() && currentBytes + size + 1 > maxBytes;
            if (full) {
                out.add(batch(current, batchInput));
                current = AslJson.NODES.arrayNode();
                currentBytes = 0;
            }
            current.add(item);
            currentBytes += size + 1;
        }
        if (!current.isEmpty()) {
            out.add(batch(current, batchInput));
        }
        return out;
    }

    private static ChildInput batch(ArrayNode items, JsonNode batchInput) {
        ObjectNode n = AslJson.NODES.objectNode();
        n.set("Items", items);
        if (batchInput != null) {
            n.set("BatchInput", batchInput);
        }
        return new ChildInput(n, items.size());
    }

    /** A numeric field given literally, through its ...Path variant or (JSONata) as a {% %} expression. */
    static Long optionalInt(JsonNode container, String field, JsonNode eff, Interpreter.StateRun run) {
        JsonNode v = container.get(field);
        if (v != null && run.state.ql == QueryLanguage.JSONATA && v.isTextual() && JsonataExpression.isExpression(v.textValue())) {
            // compiled once at load time to report syntax errors there; compiling again here is cheap
            v = JsonataTemplate.compile(v, field).apply(run.jsonata(eff, null, null), "number");
        }
        String path = null;
        if (v == null && container.has(field + "Path")) {
            path = container.get(field + "Path").asText();
            v = JsonPaths.require(path, eff, run.context());
        }
        if (v == null) {
            return null;
        }
        Long n = AslJson.exactLong(v);
        if (n == null || n < 0) {
            throw StatesFailure.runtime("The " + field + (path != null ? "Path" : "") + " field refers to value \""
                    + AslJson.javaText(v) + "\" which is not a valid integer" + (path != null ? ": " + path : ""));
        }
        return n;
    }

    private ArrayNode itemsFromPath(MapState m, JsonNode eff, Interpreter.StateRun run) {
        if (m.jsonata != null) {
            if (m.jsonata.items() != null) {
                return (ArrayNode) m.jsonata.items().apply(run.jsonata(eff, null, null), "array");
            }
            if (!eff.isArray()) {
                throw StatesFailure.queryEvaluation("Map state input must be an array but was: " + AslJson.write(eff));
            }
            return (ArrayNode) eff;
        }
        JsonNode items = "$".equals(m.itemsPath) ? eff : JsonPaths.require(m.itemsPath, eff, run.context());
        if (!items.isArray()) {
            throw StatesFailure.runtime("The ItemsPath field refers to value \"" + AslJson.javaText(items)
                    + "\" which is not a valid JSON array: " + m.itemsPath);
        }
        return (ArrayNode) items;
    }

    private JsonNode select(MapState m, JsonNode eff, int index, JsonNode item, Interpreter.StateRun run) {
        boolean jsonataSelector = m.jsonata != null && m.jsonata.itemSelector() != null;
        if (m.itemSelector == null && !jsonataSelector) {
            return item;
        }
        ObjectNode ctx = run.context();
        ObjectNode it = ctx.putObject("Map").putObject("Item");
        it.put("Index", index);
        it.set("Value", item);
        return jsonataSelector ? m.jsonata.itemSelector().apply(run.jsonata(eff, null, null, ctx)) : m.itemSelector.apply(eff, ctx);
    }

    /** AWS reads an integer written as a string ("1") where a path must give an integer. */
    private static Long parseLong(String text) {
        try {
            return Long.parseLong(text.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A JSONata numeric Map field (MaxConcurrency, ToleratedFailure*) given as an expression. */
    private static JsonNode number(JsonataTemplate t, JsonNode eff, Interpreter.StateRun run) {
        return t.apply(run.jsonata(eff, null, null), "number");
    }

    private int concurrency(MapState m, JsonNode eff, Interpreter.StateRun run, boolean inline) {
        long requested = 0;
        if (m.maxConcurrency != null) {
            requested = m.maxConcurrency;
        } else if (m.jsonata != null && m.jsonata.maxConcurrency() != null) {
            JsonNode v = number(m.jsonata.maxConcurrency(), eff, run);
            Long n = AslJson.exactLong(v);
            if (n == null || n < 0) {
                throw StatesFailure.queryEvaluation("The MaxConcurrency field must be a non-negative integer, but was: " + AslJson.write(v));
            }
            requested = n;
        } else if (m.maxConcurrencyPath != null) {
            JsonNode v = JsonPaths.require(m.maxConcurrencyPath, eff, run.context());
            Long n = v.isNumber() ? AslJson.exactLong(v) : v.isTextual() ? parseLong(v.textValue()) : null;
            if (n == null || n < 0) {
                throw StatesFailure.runtime("The MaxConcurrencyPath field refers to value \"" + (v.isTextual() ? v.textValue() : AslJson.write(v))
                        + "\" which is not a valid integer: " + m.maxConcurrencyPath);
            }
            requested = n;
        }
        if (!inline) {
            return (int) (requested == 0 ? DISTRIBUTED_MAX_CONCURRENCY : Math.min(requested, DISTRIBUTED_MAX_CONCURRENCY));
        }
        Limits limits = env.limits();
        if (requested == 0) {
            return limits.capInlineMapConcurrency() ? limits.inlineMapMaxConcurrency() : Integer.MAX_VALUE;
        }
        return (int) (limits.capInlineMapConcurrency() ? Math.min(requested, limits.inlineMapMaxConcurrency()) : Math.min(requested, Integer.MAX_VALUE));
    }

    /** ToleratedFailurePercentage / ToleratedFailureCount: exceeding either fails the Map run. */
    private record Tolerance(Double percentage, Long count, int total) {
        static Tolerance of(MapState m, JsonNode eff, Interpreter.StateRun run, int total) {
            Double pct = m.toleratedFailurePercentage;
            if (pct == null && m.jsonata != null && m.jsonata.toleratedFailurePercentage() != null) {
                JsonNode v = number(m.jsonata.toleratedFailurePercentage(), eff, run);
                if (v.doubleValue() < 0 || v.doubleValue() > 100) {
                    throw StatesFailure.queryEvaluation("The ToleratedFailurePercentage field must be between 0 and 100, but was: " + AslJson.write(v));
                }
                pct = v.doubleValue();
            }
            if (pct == null && m.toleratedFailurePercentagePath != null) {
                JsonNode v = JsonPaths.require(m.toleratedFailurePercentagePath, eff, run.context());
                if (!v.isNumber() || v.doubleValue() < 0 || v.doubleValue() > 100) {
                    throw StatesFailure.runtime("The ToleratedFailurePercentagePath field refers to value \""
                            + AslJson.javaText(v) + "\" which is not a valid percentage: " + m.toleratedFailurePercentagePath);
                }
                pct = v.doubleValue();
            }
            Long count = m.toleratedFailureCount == null ? null : m.toleratedFailureCount.longValue();
            if (count == null && m.jsonata != null && m.jsonata.toleratedFailureCount() != null) {
                JsonNode v = number(m.jsonata.toleratedFailureCount(), eff, run);
                count = AslJson.exactLong(v);
                if (count == null || count < 0) {
                    throw StatesFailure.queryEvaluation("The ToleratedFailureCount field must be a non-negative integer, but was: " + AslJson.write(v));
                }
            }
            if (count == null && m.toleratedFailureCountPath != null) {
                JsonNode v = JsonPaths.require(m.toleratedFailureCountPath, eff, run.context());
                count = AslJson.exactLong(v);
                if (count == null || count < 0) {
                    throw StatesFailure.runtime("The ToleratedFailureCountPath field refers to value \""
                            + AslJson.javaText(v) + "\" which is not a valid integer: " + m.toleratedFailureCountPath);
                }
            }
            return pct == null && count == null ? null : new Tolerance(pct, count, total);
        }

        static Tolerance zero(int total) {
            return new Tolerance(null, 0L, total);
        }

        void check(int failed) {
            boolean overCount = count != null && failed > count;
            boolean overPct = percentage != null && total > 0 && failed * 100.0 / total > percentage;
            if (overCount || overPct) {
                throw StatesFailure.withFinalCause(StatesFailure.EXCEED_TOLERATED_FAILURE_THRESHOLD,
                        "The specified tolerated failure threshold was exceeded");
            }
        }
    }
}
