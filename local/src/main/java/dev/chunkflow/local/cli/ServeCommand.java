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

    @Option(names = "--param", paramLabel = "KEY=VALUE", description = "A template parameter value (repeatable), e.g. OffloadThresholdBytes=16384.")
    java.util.Map<String, String> params = new java.util.LinkedHashMap<>();

    @Option(names = "--api-throttle", paramLabel = "BURST:RATE",
            description = "HTTP API route throttle instead of the template's DefaultRouteSettings (e.g. 1000:500).")
    String apiThrottle;

    @Override
    public Integer call() throws Exception {
        int burst = 0;
        double rate = 0;
        if (apiThrottle != null) {
            String[] p = apiThrottle.split(":");
            try {
                burst = Integer.parseInt(p[0]);
                rate = Double.parseDouble(p[1]);
            } catch (RuntimeException e) {
                throw new CliError("--api-throttle: expected BURST:RATE (e.g. 50:20), got " + apiThrottle);
            }
            if (p.length != 2 || burst < 1 || rate <= 0) {
                throw new CliError("--api-throttle: BURST must be >= 1 and RATE > 0, got " + apiThrottle);
            }
        }
        ServeStack stack;
        try {
            stack = ServeStack.start(RepoRoot.find(), parent.stateDir(), port, parent.s3Port(), parent.dynamoDbPort(), stackName, params);
        } catch (LocalServices.LocalSetupException | IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
        if (apiThrottle != null) {
            stack.httpApiThrottle(burst, rate);
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
