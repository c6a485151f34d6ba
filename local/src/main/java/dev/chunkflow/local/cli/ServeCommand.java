package dev.chunkflow.local.cli;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;

import dev.chunkflow.local.run.LocalServices;
import dev.chunkflow.local.serve.ServeStack;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow serve}: template.yaml as a local stack on one edge port, until Ctrl-C. */
@Command(name = "serve", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Serve template.yaml locally on one loopback port, as AWS would answer: Step Functions,",
                "Lambda, S3, DynamoDB and CloudFormation DescribeStacks (routed by the SigV4 credential scope),",
                "the HTTP API (/jobs, SigV4 + throttle) and a console at /_chunkflow/. Use it with the AWS CLI",
                "(--endpoint-url) or any SDK. Data persists in --state-dir. Ctrl-C stops it."})
public final class ServeCommand implements Callable<Integer> {
    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "4566", description = "Edge port on 127.0.0.1 (default: ${DEFAULT-VALUE}; 0 = any free port).")
    int port;

    @Option(names = "--stack-name", defaultValue = ServeStack.DEFAULT_STACK_NAME,
            description = "Stack name DescribeStacks answers to (default: ${DEFAULT-VALUE}, the scripts' default).")
    String stackName;

    @Override
    public Integer call() throws Exception {
        ServeStack stack;
        try {
            stack = ServeStack.start(RepoRoot.find(), parent.stateDir(), port, parent.s3Port(), parent.dynamoDbPort(), stackName);
        } catch (LocalServices.LocalSetupException | IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            System.err.println("chunkflow serve: stopping");
            stack.close();
            stopped.countDown();
        }, "serve-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        spec.commandLine().getOut().print(stack.banner(parent.stateDir()));
        spec.commandLine().getOut().flush();
        stopped.await();
        return 0;
    }
}
