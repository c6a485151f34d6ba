package dev.chunkflow.local.asl.cases;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.DefinitionException;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.HistoryEvent;
import dev.chunkflow.local.asl.LambdaInvoker;
import dev.chunkflow.local.asl.LimitViolation;
import dev.chunkflow.local.asl.Limits;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.asl.TimeSource;

/**
 * Runs ASL case files: {"definition", "input", "expected": {"status", "output" | "error", "cause"},
 * "entered_states"?, "lambda_functions"?, "notes"?} (the format of the shared conformance suite),
 * plus the project's own optional fields: "s3_objects" (uploaded before the run), "limits"
 * ({"historyEvents": n, "statePayloadBytes": n} overriding the AWS values) and
 * "expected_violations" (limit names that must appear in the stats).
 * Lambda ARNs listed in lambda_functions are identity functions; time is virtual (no real waiting).
 */
public final class CaseRunner {
    private final S3Client s3;

    /** Cases without S3 needs (no "s3_objects", no Distributed Map S3 reader/writer). */
    public CaseRunner() {
        this(null);
    }

    /**
     * @param s3 client given to the engine for Distributed Map ItemReader/ResultWriter; a case's
     *           "s3_objects" ({"bucket/key": text or JSON}) are uploaded through it first. May be null.
     */
    public CaseRunner(S3Client s3) {
        this.s3 = s3;
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
        if (c.has("s3_objects")) {
            if (s3 == null) {
                return new CaseResult(name, false, "this case needs S3 (s3_objects) but no S3 client was given", null);
            }
            var it = c.get("s3_objects").fields();
            while (it.hasNext()) {
                var e = it.next();
                String target = e.getKey();
                int slash = target.indexOf('/');
                String body = e.getValue().isTextual() ? e.getValue().textValue() : AslJson.write(e.getValue());
                s3.putObject(p -> p.bucket(target.substring(0, slash)).key(target.substring(slash + 1)),
                        RequestBody.fromString(body, StandardCharsets.UTF_8));
            }
        }
        if (s3 != null) {
            b.s3(s3);
        }
        JsonNode limits = c.path("limits");
        Limits l = Limits.aws();
        if (limits.has("historyEvents")) {
            l = l.withHistoryEvents(limits.get("historyEvents").intValue());
        }
        if (limits.has("statePayloadBytes")) {
            l = l.withStatePayloadBytes(limits.get("statePayloadBytes").intValue());
        }
        b.limits(l);
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
        if (c.has("expected_violations")) {
            List<String> expected = new ArrayList<>();
            c.get("expected_violations").forEach(n -> expected.add(n.asText()));
            List<String> actual = r.stats().limitViolations().stream().map(LimitViolation::limit).distinct().sorted().toList();
            if (!expected.stream().sorted().toList().equals(actual)) {
                diffs.add("limit violations: expected " + expected + " but were " + actual);
            }
        }
        return diffs.isEmpty() ? null : String.join("; ", diffs);
    }
}
