package dev.chunkflow.local.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.run.LocalServices;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow run}: the whole pipeline, locally, with AWS limits enforced. */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Run the ETL pipeline locally: sample data (or --input) into the embedded S3, StartJob,",
                "the real state machine driving the real handlers, a live progress bar and a summary of",
                "payload sizes and history events against the AWS limits. Exit code 0 only on SUCCEEDED."})
public final class RunCommand implements Callable<Integer> {
    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--rows", defaultValue = "100000", description = "Sample rows to generate (default: ${DEFAULT-VALUE}).")
    long rows;

    @Option(names = "--seed", defaultValue = "1", description = "Sample data seed (default: ${DEFAULT-VALUE}).")
    long seed;

    @Option(names = "--workload", paramLabel = "NAME",
            description = "The workload to run (visits, events, or one on the class path; default: the template's DefaultWorkload).")
    String workload;

    @Option(names = "--input", paramLabel = "DIR",
            description = "Use the files under DIR in the workload's format (.csv/.csv.gz, .jsonl/.jsonl.gz) instead of generated data.")
    Path input;

    @Option(names = "--chunk-rows", paramLabel = "M", description = "Target rows per chunk (default: the template's TargetRowsPerChunk).")
    Integer chunkRows;

    @Option(names = "--inline-threshold", paramLabel = "T",
            description = "Chunks above which the Distributed Map is used (default: the template's InlineMapMaxChunks).")
    Integer inlineThreshold;

    @Option(names = "--concurrency", defaultValue = "10", paramLabel = "C", description = "Map MaxConcurrency (default: ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--batch-size", defaultValue = "10", paramLabel = "B",
            description = "Chunk ids per Distributed Map child (ItemBatcher; default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--faults", defaultValue = "0", paramLabel = "RATE",
            description = "Share of Lambda invocations failed with Lambda.ServiceException/TooManyRequestsException (default: 0).")
    double faults;

    @Option(names = "--job-id", description = "Job id (default: run-SEED-TIMESTAMP).")
    String jobId;

    @Option(names = "--retry-time-scale", defaultValue = "1.0", paramLabel = "F",
            description = "Multiply Wait and retry intervals by F (e.g. 0.01 for quick fault runs; default: real time).")
    double retryTimeScale;

    @Mixin
    LambdaOptions lambda;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the run's figures as JSON to FILE.")
    Path report;

    @Option(names = "--no-progress", negatable = false, description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--iam", defaultValue = "on", paramLabel = "on|off",
            description = "Enforce each function's and the state machine's IAM role from template.yaml (default: ${DEFAULT-VALUE}).")
    String iam;

    @Option(names = "--break-chunk", paramLabel = "N",
            description = "Make chunk N's ProcessChunk fail with a non-retried error, so the run FAILS and `chunkflow redrive JOB_ID` can finish it.")
    Integer breakChunk;

    @Option(names = "--fan-out-threshold", paramLabel = "BYTES",
            description = "Plan with the fan-out branch above this many source bytes (default: the template's FanOutThresholdBytes).")
    Long fanOutThreshold;

    @Override
    public Integer call() throws Exception {
        validate();
        dev.chunkflow.local.lambda.LambdaRuntimeOptions runtime = lambda.toRuntimeOptions();
        java.io.PrintStream logs = logsToFile(parent.stateDir(), "run");
        RunReport r;
        try {
            r = PipelineRun.execute(RepoRoot.find(), parent.stateDir(), new PipelineRun.Options(rows, seed, input, chunkRows,
                    inlineThreshold, concurrency, batchSize, faults, jobId, retryTimeScale, !noProgress, parent.s3Port(),
                    parent.dynamoDbPort(), IamOption.parse(iam)).withLambda(runtime).withWorkload(workload).withBreakChunk(breakChunk), System.err,
                    Map.of(), fanOutThreshold == null ? Map.of() : Map.of("FanOutThresholdBytes", String.valueOf(fanOutThreshold)));
        } catch (LocalServices.LocalSetupException | IllegalArgumentException | dev.chunkflow.local.iam.IamPolicyException e) {
            throw new CliError(e.getMessage());
        } finally {
            Log.redirect(System.err);
            logs.close();
        }
        return print(spec, r, report);
    }

    /**
     * The functions' JSON log lines (one per chunk and more) go to a file, as CloudWatch Logs would hold
     * them; the terminal keeps the progress and the summary. Returns the stream to close afterwards.
     */
    static java.io.PrintStream logsToFile(Path stateDir, String command) throws java.io.IOException {
        Path logFile = stateDir.resolve("logs").resolve(command + "-" + java.time.LocalDateTime.now()
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + ".jsonl");
        Files.createDirectories(logFile.getParent());
        java.io.PrintStream logs = new java.io.PrintStream(Files.newOutputStream(logFile), true, java.nio.charset.StandardCharsets.UTF_8);
        Log.redirect(logs);
        System.err.println("chunkflow: function logs (JSON lines) go to " + logFile);
        return logs;
    }

    /** The summary on stdout, the report to {@code report} if given; exit code 0 only on SUCCEEDED. */
    static int print(CommandSpec spec, RunReport r, Path report) throws java.io.IOException {
        spec.commandLine().getOut().print(PipelineRun.summary(r));
        spec.commandLine().getOut().flush();
        if (report != null) {
            Path parentDir = report.toAbsolutePath().getParent();
            if (parentDir != null) {
                Files.createDirectories(parentDir);
            }
            Files.write(report, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(r));
        }
        return "SUCCEEDED".equals(r.status()) ? 0 : 1;
    }

    private void validate() {
        IamOption.parse(iam);
        if (fanOutThreshold != null && !dev.chunkflow.settings.Settings.FAN_OUT_THRESHOLD_BYTES.contains(fanOutThreshold)) {
            throw new CliError("--fan-out-threshold: must be between " + dev.chunkflow.settings.Settings.FAN_OUT_THRESHOLD_BYTES.min()
                    + " and " + dev.chunkflow.settings.Settings.FAN_OUT_THRESHOLD_BYTES.max());
        }
        if (input == null && rows < 1) {
            throw new CliError("--rows: must be at least 1");
        }
        if (input != null && !Files.isDirectory(input)) {
            throw new CliError("--input: " + input + " is not a readable directory");
        }
        if (chunkRows != null && chunkRows < 1) {
            throw new CliError("--chunk-rows: must be at least 1");
        }
        if (inlineThreshold != null && inlineThreshold < 0) {
            throw new CliError("--inline-threshold: must be >= 0");
        }
        if (concurrency < 0 || concurrency > 10_000) {
            throw new CliError("--concurrency: must be between 0 (unlimited) and 10000; an inline Map runs at most "
                    + AwsLimits.SFN_INLINE_MAP_MAX_CONCURRENCY + " at once");
        }
        if (batchSize < 1) {
            throw new CliError("--batch-size: must be at least 1");
        }
        if (faults < 0 || faults >= 1) {
            throw new CliError("--faults: must be in [0, 1)");
        }
        if (retryTimeScale < 0 || retryTimeScale > 1) {
            throw new CliError("--retry-time-scale: must be in [0, 1]");
        }
        if (breakChunk != null && breakChunk < 0) {
            throw new CliError("--break-chunk: must be a chunk id (>= 0)");
        }
        if (jobId != null && !jobId.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new CliError("--job-id: must match [A-Za-z0-9_-]{1,80}");
        }
    }
}
