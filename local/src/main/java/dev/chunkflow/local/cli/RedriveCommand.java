package dev.chunkflow.local.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.chunkflow.common.Log;
import dev.chunkflow.local.run.LocalServices;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow redrive JOB_ID}: RedriveExecution of a failed local run, from another process. */
@Command(name = "redrive", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Redrive the failed, timed-out or aborted execution of JOB_ID kept in --state-dir, as",
                "RedriveExecution does: it resumes at the state that failed and re-runs only the Map items or",
                "children that did not succeed. Same summary and report as run. Exit code 0 only on SUCCEEDED."})
public final class RedriveCommand implements Callable<Integer> {
    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(paramLabel = "JOB_ID", description = "The job whose execution to redrive (its execution name).")
    String jobId;

    @Option(names = "--retry-time-scale", defaultValue = "1.0", paramLabel = "F",
            description = "Multiply Wait and retry intervals by F (default: real time).")
    double retryTimeScale;

    @Option(names = "--report", paramLabel = "FILE", description = "Also write the run's figures as JSON to FILE.")
    Path report;

    @Option(names = "--no-progress", negatable = false, description = "Do not draw the progress bar.")
    boolean noProgress;

    @Option(names = "--iam", defaultValue = "on", paramLabel = "on|off",
            description = "Enforce the template's IAM roles (default: ${DEFAULT-VALUE}).")
    String iam;

    @Override
    public Integer call() throws Exception {
        if (!jobId.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new CliError("JOB_ID: must match [A-Za-z0-9_-]{1,80}");
        }
        if (retryTimeScale < 0 || retryTimeScale > 1) {
            throw new CliError("--retry-time-scale: must be in [0, 1]");
        }
        PipelineRun.Options o = new PipelineRun.Options(1, 1, null, null, null, 10, 10, 0, jobId, retryTimeScale,
                !noProgress, parent.s3Port(), parent.dynamoDbPort(), IamOption.parse(iam));
        java.io.PrintStream logs = RunCommand.logsToFile(parent.stateDir(), "redrive");
        RunReport r;
        try {
            r = PipelineRun.redrive(RepoRoot.find(), parent.stateDir(), jobId, o, System.err);
        } catch (LocalServices.LocalSetupException | IllegalArgumentException | dev.chunkflow.local.iam.IamPolicyException e) {
            throw new CliError(e.getMessage());
        } finally {
            Log.redirect(System.err);
            logs.close();
        }
        return RunCommand.print(spec, r, report);
    }
}
