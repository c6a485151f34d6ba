package dev.chunkflow.local.cli;

import java.nio.file.Path;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** The {@code chunkflow} command: global options and the list of subcommands (each in its own class). */
@Command(name = "chunkflow", mixinStandardHelpOptions = true, version = "chunkflow 0.1.0",
        description = "Run chunkflow locally: the real state machine and handlers, no AWS account, no Docker.",
        subcommands = {RunCommand.class, RedriveCommand.class, ChaosCommand.class, ServeCommand.class, ExecutionsCommand.class, InvokeCommand.class, JobsCommand.class, GcCommand.class,
                SizeCommand.class, AslCommand.class})
public final class ChunkflowCli {
    @Option(names = "--state-dir", defaultValue = ".chunkflow", scope = CommandLine.ScopeType.INHERIT,
            description = "Where the embedded S3 and DynamoDB keep their data (default: ${DEFAULT-VALUE}).")
    Path stateDir;

    @Option(names = "--s3-port", defaultValue = "0", scope = CommandLine.ScopeType.INHERIT,
            description = "Port of the embedded S3 server on 127.0.0.1 (default: any free port).")
    int s3Port;

    @Option(names = "--dynamodb-port", defaultValue = "0", scope = CommandLine.ScopeType.INHERIT,
            description = "Port of DynamoDB Local on 127.0.0.1 (default: any free port).")
    int dynamoDbPort;

    public Path stateDir() {
        return stateDir;
    }

    public int s3Port() {
        return s3Port;
    }

    public int dynamoDbPort() {
        return dynamoDbPort;
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the CLI and returns its exit code (0 success, 1 failed run or cases, 2 bad usage or input). */
    public static int run(String... args) {
        return commandLine().execute(args);
    }

    public static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new ChunkflowCli());
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            cmd.getErr().println("chunkflow: " + (e instanceof CliError ? e.getMessage() : e.toString()));
            return e instanceof CliError ce ? ce.exitCode : 2;
        });
        cl.setParameterExceptionHandler((e, a) -> {
            e.getCommandLine().getErr().println("chunkflow: " + e.getMessage());
            return 2;
        });
        return cl;
    }
}
