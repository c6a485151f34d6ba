package dev.chunkflow.local.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;

/** Assembles the sections into {@code bench/results/*.json} and {@code docs/benchmarks.md}. */
public final class BenchReport {
    private final Path root;
    private final Map<String, JsonNode> results;
    private final Map<String, String> markdown;
    private final Map<String, String> titles;
    private final Map<String, JsonNode> targets;
    private final boolean quick;
    private final long totalMs;
    private final String date = DateTimeFormatter.ISO_LOCAL_DATE_TIME.format(Instant.now().atOffset(ZoneOffset.UTC).withNano(0)) + "Z";

    BenchReport(Path root, Map<String, JsonNode> results, Map<String, String> markdown, Map<String, String> titles,
                Map<String, JsonNode> targets, boolean quick, long totalMs) {
        this.targets = targets;
        this.root = root;
        this.results = results;
        this.markdown = markdown;
        this.titles = titles;
        this.quick = quick;
        this.totalMs = totalMs;
    }

    ObjectNode machine() {
        ObjectNode m = Json.MAPPER.createObjectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("jdk", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " " + System.getProperty("os.arch"));
        m.put("memory_bytes", totalMemory());
        m.put("max_heap_bytes", Runtime.getRuntime().maxMemory());
        return m;
    }

    private static long totalMemory() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getTotalMemorySize();
        }
        return -1;
    }

    Path writeJson(boolean full) throws IOException {
        ObjectNode doc = Json.MAPPER.createObjectNode();
        doc.put("date", date);
        doc.put("quick", quick);
        doc.put("git_commit", gitCommit());
        doc.set("machine", machine());
        doc.put("total_ms", totalMs);
        results.forEach(doc::set);
        com.fasterxml.jackson.databind.node.ArrayNode all = doc.putArray("targets");
        targets.forEach((section, ts) -> ts.forEach(t -> all.add(((ObjectNode) t.deepCopy()).put("section", section))));
        Path dir = root.resolve("bench/results");
        Files.createDirectories(dir);
        Path out = dir.resolve(full ? "latest.json" : "quick.json");
        Files.writeString(out, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(doc) + "\n");
        return out;
    }

    private String gitCommit() {
        try {
            Process p = new ProcessBuilder("git", "rev-parse", "--short", "HEAD").directory(root.toFile())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            return p.waitFor() == 0 ? out : "unknown";
        } catch (Exception e) {
            return "unknown";
        }
    }

    String markdown() {
        ObjectNode m = machine();
        StringBuilder b = new StringBuilder();
        b.append("# Benchmarks\n\n");
        b.append("Reproduce with `scripts/bench.sh` (full run, rewrites this page and `bench/results/latest.json`) or\n");
        b.append("`scripts/bench.sh --quick` (reduced sizes, writes `bench/results/quick.json` only). Every ratio below is\n");
        b.append("measured in the same run, on the same machine and the same data. Nothing in the test suite depends on speed.\n\n");
        b.append(String.format("Run: %s, commit `%s`, %s%s; machine: %d cores, %.1f GiB RAM, %s, %s; bench JVM heap %d MiB.%n%n",
                date, gitCommit(), quick ? "**quick run** (reduced sizes)" : "full run",
                String.format(", %.0f s in all", totalMs / 1000.0), m.path("cores").asInt(),
                m.path("memory_bytes").asLong() / (1024.0 * 1024 * 1024), m.path("jdk").asText(), m.path("os").asText(),
                m.path("max_heap_bytes").asLong() / (1024 * 1024)));
        b.append("## Targets\n\n| # | target | measured | met |\n|---|---|---|---|\n");
        int n = 0;
        for (Map.Entry<String, JsonNode> e : targets.entrySet()) {
            for (JsonNode t : e.getValue()) {
                b.append(String.format("| %d | %s | %s | %s |%n", ++n, t.path("target").asText(), t.path("measured").asText(),
                        t.path("met").asBoolean() ? "yes" : "**no**"));
            }
        }
        b.append('\n');
        for (Map.Entry<String, String> e : markdown.entrySet()) {
            b.append("## ").append(titles.get(e.getKey())).append("\n\n").append(e.getValue().strip()).append("\n\n");
        }
        // The hand-written reading of the numbers (misses, profiles, what was fixed) lives beside the results.
        Path notes = root.resolve("bench/notes.md");
        if (Files.isRegularFile(notes)) {
            try {
                b.append(Files.readString(notes).strip()).append('\n');
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return b.toString();
    }

    void writeDocs(String md) throws IOException {
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs/benchmarks.md"), md);
    }

    /** A row of the targets table, put by each section in its JSON under {@code targets}. */
    public static ObjectNode target(String target, String measured, boolean met) {
        ObjectNode t = Json.MAPPER.createObjectNode();
        t.put("target", target);
        t.put("measured", measured);
        t.put("met", met);
        return t;
    }
}
