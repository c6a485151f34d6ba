package dev.chunkflow.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.Callable;
import java.util.stream.Stream;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.chaos.ChaosCampaign;
import dev.chunkflow.local.chaos.ChaosOptions;
import dev.chunkflow.local.chaos.ChaosReport;
import dev.chunkflow.local.faults.FaultScope;
import dev.chunkflow.local.run.LocalServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow chaos}: faults inside the handlers, invariants checked after every run. */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run a small job cleanly, then once per crash point and fault kind (--mode points) or many times",
                "with random faults (--mode random --rate R) inside the handlers' SDK calls: S3 503/500, DynamoDB",
                "throttles and 500s, GetObject resets, ambiguous outcomes (applied, then a timeout), sandbox crashes",
                "before or after a call. After every run (and the redrive of a failed one) the invariants are checked",
                "against the clean run. Exit code 0 only if nothing diverged."})
public final class ChaosCommand implements Callable<Integer> {
    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--mode", defaultValue = "points", paramLabel = "points|random",
            description = "points: every crash point x fault kind; random: --runs runs at --rate (default: ${DEFAULT-VALUE}).")
    String mode;

    @Option(names = "--rows", defaultValue = "2000", description = "Sample rows (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--chunk-rows", defaultValue = "500", paramLabel = "M",
            description = "Target rows per chunk (default: ${DEFAULT-VALUE}: 4 chunks of the default rows).")
    Integer chunkRows;

    @Option(names = "--seed", defaultValue = "1", description = "Sample data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--fault-seed", defaultValue = "1",
            description = "Seeds the random faults and --sample (default: ${DEFAULT-VALUE}).")
    long faultSeed;

    @Option(names = "--rate", defaultValue = "0.05", description = "random: each SDK call's fault probability (default: ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--runs", defaultValue = "200", description = "random: runs to make (default: ${DEFAULT-VALUE}).")
    int runs;

    @Option(names = "--sample", defaultValue = "0", paramLabel = "N",
            description = "points: try a seeded sample of N points instead of all (default: all).")
    int sample;

    @Option(names = "--fault-scope", paramLabel = "attempt|call",
            description = "Fail one HTTP attempt of a faulted call (the SDK may absorb it) or every attempt. Default: points,"
                    + " every attempt except DynamoDB throttles (one); random, one attempt.")
    String scope;

    @Option(names = "--workers", defaultValue = "2", description = "Runs in parallel, each on a local stack of its own (default: ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--retry-time-scale", defaultValue = "0.01", paramLabel = "F",
            description = "Multiply Step Functions retry intervals by F (default: ${DEFAULT-VALUE}).")
    double retryTimeScale;

    @Option(names = "--point", paramLabel = "KEY:CALL:KIND",
            description = "points: try only this point (repeatable): KEY:CALL:KIND, CALL a number or Service.Operation#N (N-th such call, negative from the last), e.g. ProcessChunkFunction/chunk-0:S3.PutObject#-1:crash-after.")
    java.util.List<String> only = new java.util.ArrayList<>();

    @Mixin
    LambdaOptions lambda;

    @Option(names = "--report", paramLabel = "FILE", description = "Write the campaign's report as JSON to FILE.")
    Path report;

    @Override
    public Integer call() throws Exception {
        if (!mode.equals("points") && !mode.equals("random")) {
            throw new CliError("--mode: must be points or random");
        }
        if (rows < 1 || chunkRows < 1) {
            throw new CliError("--rows and --chunk-rows: must be at least 1");
        }
        if (mode.equals("random") && !(rate > 0 && rate < 1)) {
            throw new CliError("--rate: must be in (0, 1)");
        }
        if (runs < 1 || sample < 0 || workers < 1 || workers > 8) {
            throw new CliError("--runs must be >= 1, --sample >= 0, --workers between 1 and 8");
        }
        if (retryTimeScale < 0 || retryTimeScale > 1) {
            throw new CliError("--retry-time-scale: must be in [0, 1]");
        }
        FaultScope faultScope;
        try {
            faultScope = scope == null ? null : FaultScope.parse(scope);
        } catch (IllegalArgumentException e) {
            throw new CliError("--fault-scope: " + e.getMessage());
        }
        Path dir = parent.stateDir().resolve("chaos");
        deleteTree(dir);
        ChaosOptions o = new ChaosOptions(rows, chunkRows, seed, faultSeed, mode.equals("random"), rate, runs, sample,
                faultScope, workers, dir, lambda.toRuntimeOptions(), retryTimeScale, only);
        java.io.PrintStream logs = RunCommand.logsToFile(parent.stateDir(), "chaos");
        ChaosReport r;
        try {
            r = ChaosCampaign.run(RepoRoot.find(), o, System.err);
        } catch (LocalServices.LocalSetupException | IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        } finally {
            Log.redirect(System.err);
            logs.close();
        }
        var out = spec.commandLine().getOut();
        out.printf("%n  mode              %s (%s isolation, fault scope %s)%n", r.mode(), r.isolation(), r.scope());
        out.printf("  job               %,d rows, %d chunks%n", r.rows(), r.num_chunks());
        out.printf("  crash points      %d (SDK calls of the clean run); %d fault points%n", r.crash_points(), r.points_total());
        out.printf("  runs              %d (%d failed and were redriven), %d faults injected%n", r.runs(), r.redriven(), r.faults_injected());
        out.printf("  wall time         %.1f s%n", r.wall_seconds());
        out.printf("  orphans for gc    %d run(s) left objects under jobs/ that no item names%n", r.orphans().size());
        out.printf("  divergent         %s%n", r.divergent().isEmpty() ? "none" : r.divergent().size() + ":");
        for (ChaosReport.Divergence d : r.divergent().subList(0, Math.min(20, r.divergent().size()))) {
            out.printf("    run %d %s, %s: %s%n", d.run(), d.point(), d.fault(), d.invariant());
        }
        out.flush();
        if (report != null) {
            Path parentDir = report.toAbsolutePath().getParent();
            if (parentDir != null) {
                Files.createDirectories(parentDir);
            }
            Files.write(report, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        }
        return r.divergent().isEmpty() ? 0 : 1;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
