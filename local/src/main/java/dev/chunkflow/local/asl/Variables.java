package dev.chunkflow.local.asl;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The workflow variables of one scope (the top level, a Parallel branch, a Map iteration) over the
 * read-only variables of the enclosing scopes. Assignments go to this scope only; values are kept as
 * JSON and as the plain Java form JSONata reads, converted once.
 */
final class Variables {
    /** A variable's value; {@code java} is what JSONata expressions see. */
    record Value(JsonNode json, Object java, int bytes) {
    }

    private final Variables parent;
    private final AtomicLong executionBytes;
    private final Map<String, Value> values = new LinkedHashMap<>();

    private Variables(Variables parent, AtomicLong executionBytes) {
        this.parent = parent;
        this.executionBytes = executionBytes;
    }

    /** The top-level scope of an execution (Distributed Map children get their own: they see no outer variables). */
    static Variables root() {
        return new Variables(null, new AtomicLong());
    }

    /** The scope of a Parallel branch or Map iteration: reads this one, assigns its own. */
    Variables child() {
        return new Variables(this, executionBytes);
    }

    /** The value, looked up from this scope outwards; null when no scope has assigned it. */
    synchronized Value get(String name) {
        Value v = values.get(name);
        return v != null || parent == null ? v : parent.get(name);
    }

    /** Every visible variable, inner scopes hiding outer ones. */
    Map<String, Value> visible() {
        Map<String, Value> all = parent == null ? new LinkedHashMap<>() : parent.visible();
        synchronized (this) {
            all.putAll(values);
        }
        return all;
    }

    /**
     * Assigns the values of one Assign field, after checking the variable limits.
     *
     * @throws StatesFailure when a limit is exceeded and enforced
     */
    void assign(Map<String, JsonNode> assigned, Interpreter.StateRun run) {
        if (assigned.isEmpty()) {
            return;
        }
        Limits limits = run.scope.ex.env.limits();
        StatsCollector stats = run.scope.ex.env.stats();
        String exec = run.scope.ex.name;
        Map<String, Value> converted = new LinkedHashMap<>();
        long total = 0;
        for (Map.Entry<String, JsonNode> e : assigned.entrySet()) {
            int bytes = AslJson.utf8Size(e.getValue());
            total += bytes;
            if (stats.variable(exec, run.state.name, "VARIABLE_SIZE", bytes, limits.variableBytes())) {
                throw limitFailure("The variable '" + e.getKey() + "' has a size of " + bytes
                        + " bytes, which exceeds the maximum of " + limits.variableBytes() + " bytes");
            }
            converted.put(e.getKey(), new Value(e.getValue(), JsonataValues.toJava(e.getValue()), bytes));
        }
        if (stats.variable(exec, run.state.name, "ASSIGN_SIZE", total, limits.assignBytes())) {
            throw limitFailure("The variables assigned by one Assign field have a combined size of " + total
                    + " bytes, which exceeds the maximum of " + limits.assignBytes() + " bytes");
        }
        synchronized (this) {
            long delta = 0;
            for (Map.Entry<String, Value> e : converted.entrySet()) {
                Value old = values.get(e.getKey());
                delta += e.getValue().bytes() - (old == null ? 0 : old.bytes());
            }
            long after = executionBytes.addAndGet(delta);
            if (stats.variable(exec, run.state.name, "EXECUTION_VARIABLES", after, limits.executionVariableBytes())) {
                executionBytes.addAndGet(-delta);
                throw limitFailure("The variables stored by the execution have a total size of " + after
                        + " bytes, which exceeds the maximum of " + limits.executionVariableBytes() + " bytes");
            }
            values.putAll(converted);
        }
    }

    /** Values assigned in an earlier attempt of a redriven execution (their limits were checked then). */
    synchronized void restore(Map<String, JsonNode> assigned) {
        assigned.forEach((k, v) -> {
            int bytes = AslJson.utf8Size(v);
            Value old = values.put(k, new Value(v, JsonataValues.toJava(v), bytes));
            executionBytes.addAndGet(bytes - (old == null ? 0 : old.bytes()));
        });
    }

    /** A Parallel branch or Map iteration ended: its variables go out of scope and stop counting. */
    synchronized void release() {
        long bytes = 0;
        for (Value v : values.values()) {
            bytes += v.bytes();
        }
        executionBytes.addAndGet(-bytes);
        values.clear();
    }

    private static StatesFailure limitFailure(String cause) {
        return StatesFailure.runtime(cause + " (AWS variable limits: 256 KiB per variable and per Assign field, 10 MiB per execution).");
    }
}
