package dev.chunkflow.local.bench;

import com.fasterxml.jackson.databind.JsonNode;

/** One numbered part of the benchmark: measures, then returns its JSON and its Markdown section. */
public interface BenchSection {
    /** The key of this section in {@code bench/results/latest.json} (e.g. {@code payload_scaling}). */
    String key();

    /** The Markdown heading of this section in {@code docs/benchmarks.md}. */
    String title();

    Result run(BenchContext ctx) throws Exception;

    /**
     * {@code json} goes under {@link #key()}; {@code markdown} is the section body (tables, notes);
     * {@code targets} are the section's rows of the targets table ({@link BenchReport#target}).
     */
    record Result(JsonNode json, String markdown, JsonNode targets) {
        /** For a section whose JSON object carries its targets under {@code targets}. */
        public Result(JsonNode json, String markdown) {
            this(json, markdown, json.path("targets"));
        }
    }
}
