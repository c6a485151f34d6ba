package dev.chunkflow.local.asl.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.DefinitionException;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.HistoryEvent;
import dev.chunkflow.local.asl.LambdaInvoker;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.asl.TimeSource;

/**
 * Runs ASL case files: {"definition", "input", "expected": {"status", "output" | "error", "cause"},
 * "entered_states"?, "lambda_functions"?, "notes"?} (the format of the shared conformance suite).
 * Lambda ARNs listed in lambda_functions are identity functions; time is virtual (no real waiting).
 */
public final class CaseRunner {
    /** Extra wiring for a case (e.g. an S3 client for Distributed Map cases); may be null. */
    @FunctionalInterface
    public interface EngineCustomizer {
        AslEngine.Builder customize(AslEngine.Builder builder, JsonNode caseFile);
    }

    private final EngineCustomizer customizer;

    public CaseRunner() {
        this(null);
    }

    public CaseRunner(EngineCustomizer customizer) {
        this.customizer = customizer;
    }

    /** Every *.json case file of {@code dir}, in name order. */
    public static List<Path> caseFiles(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".json")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    public List<CaseResult> runAll(Path dir) {
        List<CaseResult> out = new ArrayList<>();
        for (Path p : caseFiles(dir)) {
            out.add(run(p));
        }
        return out;
    }

    public CaseResult run(Path file) {
        String name = file.getFileName().toString();
        JsonNode c;
        try {
            c = AslJson.parse(Files.readString(file));
        } catch (IOException | IllegalArgumentException e) {
            return new CaseResult(name, false, "cannot read case file: " + e.getMessage(), null);
        }
        return run(name, c);
    }

    public CaseResult run(String name, JsonNode c) {
        if (!c.has("definition") || !c.has("expected")) {
            return new CaseResult(name, false, "not a case file (needs 'definition' and 'expected')", null);
        }
        StateMachine sm;
        try {
            sm = StateMachine.parse(c.get("definition"));
        } catch (DefinitionException e) {
            return new CaseResult(name, false, e.getMessage(), null);
        }
        Set<String> identity = new HashSet<>();
        c.path("lambda_functions").fieldNames().forEachRemaining(identity::add);
        LambdaInvoker invoker = (fn, payload) -> {
            if (identity.contains(fn)) {
                return payload;
            }
            throw new TaskFailure("Lambda.ResourceNotFoundException", "Function not found: " + fn);
        };
        AslEngine.Builder b = AslEngine.builder()
                .lambdaInvoker(invoker)
                .timeSource(TimeSource.virtual(Instant.now()))
                .recordHistory(true)
                .stateMachineName(name.replaceAll("\\.json$", "").replaceAll("[^A-Za-z0-9_-]", "_"));
        if (customizer != null) {
            b = customizer.customize(b, c);
        }
        ExecutionResult r;
        try (AslEngine engine = b.build()) {
            r = engine.execute(sm, c.has("input") ? c.get("input") : AslJson.NODES.objectNode(), "case");
        }
        String failure = compare(c, r);
        return new CaseResult(name, failure == null, failure, r);
    }

    /** Null when the result matches the expectation, else what differs. */
    static String compare(JsonNode c, ExecutionResult r) {
        JsonNode exp = c.get("expected");
        String notes = c.path("notes").toString().toLowerCase();
        boolean redacted = notes.contains("redact") || notes.contains("cause omitted");
        List<String> diffs = new ArrayList<>();
        String status = exp.path("status").asText();
        if (!status.equals(r.status().name())) {
            diffs.add("status: expected " + status + " but was " + r.status());
        }
        if (status.equals(ExecutionStatus.SUCCEEDED.name()) && r.status() == ExecutionStatus.SUCCEEDED) {
            if (!AslJson.valueEquals(exp.get("output"), r.output())) {
                diffs.add("output: expected " + AslJson.write(exp.get("output")) + " but was " + AslJson.write(r.output()));
            }
        }
        if (status.equals(ExecutionStatus.FAILED.name())) {
            String error = exp.has("error") ? exp.get("error").asText() : null;
            if (exp.has("error") || !redacted) {
                if (!java.util.Objects.equals(error, r.error())) {
                    diffs.add("error: expected " + error + " but was " + r.error());
                }
            }
            String cause = exp.has("cause") ? exp.get("cause").asText() : null;
            if (exp.has("cause") || !redacted) {
                if (!java.util.Objects.equals(cause, r.cause())) {
                    diffs.add("cause: expected " + cause + " but was " + r.cause());
                }
            }
        }
        if (r.status() != ExecutionStatus.SUCCEEDED && !status.equals(ExecutionStatus.FAILED.name())) {
            diffs.add("failure: " + r.error() + " / " + r.cause());
        }
        if (c.has("entered_states")) {
            List<String> entered = new ArrayList<>();
            for (HistoryEvent e : r.history()) {
                if (e.type().endsWith("StateEntered")) {
                    entered.add(e.details().path("name").asText());
                }
            }
            List<String> expected = new ArrayList<>();
            c.get("entered_states").forEach(n -> expected.add(n.asText()));
            if (!expected.equals(entered)) {
                diffs.add("entered_states: expected " + expected + " but was " + entered);
            }
        }
        return diffs.isEmpty() ? null : String.join("; ", diffs);
    }
}
