package dev.chunkflow.local.bench;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.bench.coldstart.ColdStart;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code scripts/bench.sh}: runs every section in one JVM, on one machine, with one data set per
 * comparison, then writes {@code bench/results/latest.json} and {@code docs/benchmarks.md} (a full
 * run) or {@code bench/results/quick.json} (a {@code --quick} or {@code --only} run) and prints the table.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks: payload/history scaling, throughput, planner, memory, cold start, offload, cost.")
public final class BenchMain implements Callable<Integer> {

    @Option(names = "--quick", description = "Reduced sizes: a few minutes, for development (does not replace latest.json).")
    boolean quick;

    @Option(names = "--only", split = ",", paramLabel = "KEY",
            description = "Run only these sections (payload_scaling, throughput, planner, workload_planner, memory, cold_start, offload, cost_model, fan_out_planning, serve_load); implies a partial report.")
    List<String> only = new ArrayList<>();

    @Option(names = "--repo", description = "Repository root (default: the chunkflow.repo.root property or the working directory).")
    Path repo;

    static List<BenchSection> sections() {
        return List.of(new PayloadScaling(), new Throughput(), new PlannerThroughput(), new WorkloadPlanner(), new Memory(), new ColdStart(),
                new OffloadCost(), new CostModel(), new FanOutPlanning(), new ServeBench());
    }

    public static void main(String[] args) {
        System.exit(new CommandLine(new BenchMain()).execute(args));
    }

    @Override
    public Integer call() throws Exception {
        Path root = (repo != null ? repo : Path.of(System.getProperty("chunkflow.repo.root", "."))).toAbsolutePath().normalize();
        PrintStream log = System.err;
        Set<String> keys = new LinkedHashSet<>();
        for (BenchSection s : sections()) {
            keys.add(s.key());
        }
        for (String k : only) {
            if (!keys.contains(k)) {
                log.println("bench: --only: unknown section '" + k + "' (known: " + String.join(", ", keys) + ")");
                return 2;
            }
        }
        Map<String, JsonNode> results = new LinkedHashMap<>();
        Map<String, String> markdown = new LinkedHashMap<>();
        Map<String, String> titles = new LinkedHashMap<>();
        Map<String, JsonNode> targets = new LinkedHashMap<>();
        BenchContext ctx = new BenchContext(root, root.resolve("bench/tmp"), quick, results, log);
        // Function logs (JSON lines) go to a file, as `chunkflow run` does: stdout is the report.
        java.nio.file.Files.createDirectories(root.resolve("bench/tmp"));
        PrintStream functionLogs = new PrintStream(java.nio.file.Files.newOutputStream(root.resolve("bench/tmp/function-logs.jsonl")), false,
                java.nio.charset.StandardCharsets.UTF_8);
        dev.chunkflow.common.Log.redirect(functionLogs);
        long start = System.nanoTime();
        for (BenchSection s : sections()) {
            if (!only.isEmpty() && !only.contains(s.key())) {
                continue;
            }
            ctx.say("== %s", s.title());
            long t0 = System.nanoTime();
            BenchSection.Result r = s.run(ctx);
            results.put(s.key(), r.json());
            markdown.put(s.key(), r.markdown());
            titles.put(s.key(), s.title());
            targets.put(s.key(), r.targets());
            ctx.say("%s done in %.1f s", s.key(), (System.nanoTime() - t0) / 1e9);
        }
        boolean full = !quick && only.isEmpty();
        BenchReport report = new BenchReport(root, results, markdown, titles, targets, quick, (System.nanoTime() - start) / 1_000_000);
        Path json = report.writeJson(full);
        String md = report.markdown();
        if (full) {
            report.writeDocs(md);
        }
        System.out.println(md);
        log.println("bench: wrote " + root.relativize(json) + (full ? " and docs/benchmarks.md" : " (partial run: docs/benchmarks.md untouched)"));
        return 0;
    }
}
