package dev.chunkflow.local.cli;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.chunkflow.common.Log;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.LocalServices;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code chunkflow invoke FUNCTION -e EVENT}: one handler against the embedded services, like sam local invoke. */
@Command(name = "invoke", mixinStandardHelpOptions = true,
        description = {"Invoke one function of template.yaml (by logical id) in-process against the embedded S3 and",
                "DynamoDB, like `sam local invoke` without Docker. The response JSON goes to stdout, logs to stderr."})
public final class InvokeCommand implements Callable<Integer> {
    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "FUNCTION", description = "Logical id, e.g. GetChunksFunction.")
    String function;

    @Option(names = {"-e", "--event"}, paramLabel = "EVENT.json", description = "The event (default: {}).")
    Path event;

    @Option(names = "--iam", defaultValue = "on", paramLabel = "on|off",
            description = "Enforce the function's IAM role from template.yaml (default: ${DEFAULT-VALUE}).")
    String iam;

    @Mixin
    LambdaOptions lambda;

    @Override
    public Integer call() throws Exception {
        boolean iamEnforced = IamOption.parse(iam);
        dev.chunkflow.local.lambda.LambdaRuntimeOptions runtime = lambda.toRuntimeOptions();
        byte[] payload = event == null ? "{}".getBytes(StandardCharsets.UTF_8) : readEvent();
        Log.redirect(System.err);
        try (LocalApp app = LocalApp.start(RepoRoot.find(), parent.stateDir(), Map.of(), Map.of(), parent.s3Port(),
                parent.dynamoDbPort(), null, iamEnforced, runtime)) {
            if (app.function(function).isEmpty()) {
                throw new CliError("template.yaml has no function " + function + "; functions: "
                        + String.join(", ", app.functions().keySet()));
            }
            try {
                byte[] response = app.invoke(function, payload);
                spec.commandLine().getOut().println(new String(response, StandardCharsets.UTF_8));
                spec.commandLine().getOut().flush();
                return 0;
            } catch (FunctionError e) {
                spec.commandLine().getOut().println(e.causeJson());
                spec.commandLine().getOut().flush();
                System.err.println("chunkflow: " + function + " failed: " + e.errorType());
                return 1;
            } finally {
                System.err.println("chunkflow: IAM " + app.iamReport().verdict());
            }
        } catch (LocalServices.LocalSetupException | IllegalArgumentException | dev.chunkflow.local.iam.IamPolicyException e) {
            throw new CliError(e.getMessage());
        }
    }

    private byte[] readEvent() {
        try {
            byte[] bytes = Files.readAllBytes(event);
            dev.chunkflow.common.Json.MAPPER.readTree(bytes);
            return bytes;
        } catch (java.io.IOException e) {
            throw new CliError("-e: cannot read " + event + " as JSON: " + e.getMessage());
        }
    }
}
