package dev.chunkflow.local.chaos;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What must hold after every faulted run, judged against the clean run: the outcome the faults may
 * not change. A run may fail (a fault can outlast the retries), but only with a named error, and the
 * redrive must then finish it to the same result.
 */
final class Invariants {
    static final List<String> CHECKED = List.of(
            "succeeded: the execution SUCCEEDED, at once or after redrive",
            "named-error: an execution that FAILED failed with a named error (not a bare java.* exception)",
            "no-early-success: no _SUCCESS unless every output is complete (also while a failed execution awaits its redrive)",
            "outputs-identical: every object under output/{job}/ byte-identical to the clean run's (job id aside)",
            "job-succeeded: the job item says SUCCEEDED",
            "counters-final: the job item's counters equal the clean run's totals",
            "counters-live: when Summarize starts, the counters ProcessChunk added equal the final totals",
            "no-duplicate-step: no execution step recorded twice",
            "no-dangling-pointer: every S3 key the job item names exists",
            "no-orphan: every object under jobs/{job}/ is named by the job item or collected by the orphan collector");

    private Invariants() {
    }

    /** The invariants {@code run} breaks, one line each (empty when all hold). Orphans are reported apart. */
    static List<String> broken(RunObservation clean, RunObservation run) {
        List<String> out = new ArrayList<>();
        if (!"SUCCEEDED".equals(run.finalStatus())) {
            out.add("succeeded: " + run.finalStatus() + " after " + run.redrives() + " redrive(s): " + run.finalError());
        }
        if (!"SUCCEEDED".equals(run.firstStatus()) && (run.firstError() == null || run.firstError().isBlank()
                || run.firstError().startsWith("java."))) {
            out.add("named-error: " + run.firstStatus() + " with error " + run.firstError());
        }
        // Summarize writes _SUCCESS last; its sandbox can die after that, failing the execution with every output complete.
        if (run.successBeforeRedrive() && !clean.outputs().equals(run.outputsWhenFailed())) {
            out.add("no-early-success: _SUCCESS existed while the execution was " + run.firstStatus() + " and the outputs differed");
        }
        if (!clean.outputs().equals(run.outputs())) {
            Set<String> differ = new java.util.TreeSet<>(clean.outputs().keySet());
            differ.addAll(run.outputs().keySet());
            differ.removeIf(k -> java.util.Objects.equals(clean.outputs().get(k), run.outputs().get(k)));
            out.add("outputs-identical: differ " + differ);
        }
        if (!"SUCCEEDED".equals(run.jobStatus())) {
            out.add("job-succeeded: job status " + run.jobStatus());
        }
        if (!clean.counters().equals(run.counters())) {
            out.add("counters-final: " + run.counters() + ", clean " + clean.counters());
        }
        if (run.liveCounters() != null && !live(clean.counters()).equals(live(run.liveCounters()))) {
            out.add("counters-live: at Summarize " + live(run.liveCounters()) + ", totals " + live(clean.counters()));
        }
        List<String> dup = duplicates(clean.steps(), run.steps(), run.redrives() > 0);
        if (!dup.isEmpty()) {
            out.add("no-duplicate-step: " + dup);
        }
        if (!run.dangling().isEmpty()) {
            out.add("no-dangling-pointer: " + run.dangling());
        }
        if (!run.uncollected().isEmpty()) {
            out.add("no-orphan: the orphan collector left " + run.uncollected());
        }
        return out;
    }

    /** The counters ProcessChunk adds (num_chunks is set by GetChunks). */
    private static Map<String, Long> live(Map<String, Long> counters) {
        Map<String, Long> out = new java.util.TreeMap<>(counters);
        out.remove("num_chunks");
        return out;
    }

    /**
     * Steps recorded twice: the same step text twice, or a step name more often than the clean run has it
     * (a redrive legitimately adds its own steps, so only the first test applies then).
     */
    private static List<String> duplicates(List<String> clean, List<String> run, boolean redriven) {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (String s : run) {
            if (!seen.add(s)) {
                out.add(abbreviate(s));
            }
        }
        if (!redriven) {
            Map<String, Integer> cleanNames = names(clean);
            names(run).forEach((name, n) -> {
                if (n > cleanNames.getOrDefault(name, 0)) {
                    out.add(name + " x" + n + " (clean: " + cleanNames.getOrDefault(name, 0) + ")");
                }
            });
        }
        return out;
    }

    private static Map<String, Integer> names(List<String> steps) {
        Map<String, Integer> out = new HashMap<>();
        for (String s : steps) {
            String name = dev.chunkflow.common.Json.readTree(s.getBytes(java.nio.charset.StandardCharsets.UTF_8))
                    .path("name").asText("?");
            out.merge(name, 1, Integer::sum);
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() <= 160 ? s : s.substring(0, 160) + "...";
    }
}
