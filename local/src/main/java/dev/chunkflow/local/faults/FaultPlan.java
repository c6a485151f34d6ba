package dev.chunkflow.local.faults;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

/**
 * Which invocation of one run gets which faults, deterministically. An invocation is addressed by its
 * function and what it works on, not by arrival order (ProcessChunk invocations run in parallel): a
 * payload with {@code chunk_id} is {@code Function/chunk-N}, a Distributed Map batch
 * {@code Function/batch-FIRST}, anything else {@code Function/#N} for the N-th distinct payload the
 * function got in this run (those functions run one at a time). A retry sends the same payload, so it
 * is the same key with the next attempt number.
 *
 * <ul>
 * <li>{@link #record()}: no faults; keeps the SDK calls of every first attempt (the crash points);
 * <li>{@link #at}: one fault at one SDK call of the first attempt of one invocation (its retry is clean);
 * <li>{@link #random}: every SDK call of every attempt faults with probability {@code rate}, seeded per
 * invocation from {@code seed}, its key and its attempt.
 * </ul>
 */
public final class FaultPlan {
    private final String targetKey;
    private final int targetCall;
    private final FaultKind targetKind;
    private final double rate;
    private final long seed;
    private final FaultScope scope;
    private final Map<String, Integer> attempts = new HashMap<>();
    private final Map<String, Map<String, Integer>> ordinals = new HashMap<>();
    private final Map<String, List<String>> calls = new LinkedHashMap<>();
    private final List<String> injected = new ArrayList<>();
    private volatile boolean enabled = true;

    private FaultPlan(String targetKey, int targetCall, FaultKind targetKind, double rate, long seed, FaultScope scope) {
        this.targetKey = targetKey;
        this.targetCall = targetCall;
        this.targetKind = targetKind;
        this.rate = rate;
        this.seed = seed;
        this.scope = scope;
    }

    public static FaultPlan record() {
        return new FaultPlan(null, 0, null, 0, 0, FaultScope.CALL);
    }

    public static FaultPlan at(String key, int call, FaultKind kind, FaultScope scope) {
        return new FaultPlan(key, call, kind, 0, 0, scope);
    }

    public static FaultPlan random(double rate, long seed, FaultScope scope) {
        if (!(rate > 0 && rate < 1)) {
            throw new IllegalArgumentException("--rate: must be in (0, 1), got " + rate);
        }
        return new FaultPlan(null, 0, null, rate, seed, scope);
    }

    /** Stops injecting (e.g. for the redrive that must finish a run the faults failed); keys keep counting. */
    public void disable() {
        enabled = false;
    }

    /** The invocation {@code function} is about to get for {@code payload}. */
    public synchronized FaultedInvocation next(String function, byte[] payload) {
        String key = function + "/" + label(function, payload);
        int attempt = attempts.merge(key, 1, Integer::sum);
        InvocationFaults faults = InvocationFaults.NONE;
        if (enabled && targetKind != null && attempt == 1 && key.equals(targetKey)) {
            faults = InvocationFaults.at(targetCall, targetKind, scope);
        } else if (enabled && rate > 0) {
            long s = seed * 0x9E3779B97F4A7C15L + key.hashCode() * 31L + attempt;
            faults = InvocationFaults.random(rate, s, scope);
        }
        return new FaultedInvocation(key, attempt, faults);
    }

    /** What the environment reported for an invocation {@link #next} gave out. */
    public synchronized void done(FaultedInvocation invocation) {
        if (invocation.attempt() == 1 && invocation.complete()) {
            calls.putIfAbsent(invocation.key(), invocation.calls());
        }
        for (String i : invocation.injected()) {
            injected.add(invocation.key() + "#" + invocation.attempt() + " call " + i);
        }
        if (!invocation.complete() && !invocation.faults().none()) {
            injected.add(invocation.key() + "#" + invocation.attempt() + " (environment died before reporting: "
                    + invocation.faults().encode() + ")");
        }
    }

    /** Key -> the SDK calls ({@code Service.Operation}) of its first attempt, in order. */
    public synchronized Map<String, List<String>> calls() {
        return new LinkedHashMap<>(calls);
    }

    /** The faults injected so far, one line each. */
    public synchronized List<String> injected() {
        return List.copyOf(injected);
    }

    private String label(String function, byte[] payload) {
        JsonNode json;
        try {
            json = Json.readTree(payload);
        } catch (RuntimeException e) {
            json = null;
        }
        if (json != null && json.has("chunk_id")) {
            return "chunk-" + json.get("chunk_id").asText();
        }
        if (json != null && json.path("Items").isArray() && json.path("Items").size() > 0) {
            JsonNode first = json.path("Items").get(0);
            return "batch-" + (first.isValueNode() ? first.asText() : first.path("chunk_id").asText(first.toString()));
        }
        String text = new String(payload, StandardCharsets.UTF_8);
        Map<String, Integer> seen = ordinals.computeIfAbsent(function, f -> new HashMap<>());
        return "#" + seen.computeIfAbsent(text, t -> seen.size() + 1);
    }
}
