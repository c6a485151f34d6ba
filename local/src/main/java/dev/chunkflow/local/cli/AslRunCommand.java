package dev.chunkflow.local.cli;

import java.nio.file.Path;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.DefinitionException;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.LambdaInvoker;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.asl.TimeSource;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chunkflow asl run --definition F.json --input I.json [--history H.json]}. */
@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Run one execution and print {\"status\",\"output\",\"error\",\"cause\"} as one JSON object.")
public final class AslRunCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--definition", required = true, paramLabel = "F.json", description = "The ASL definition.")
    Path definition;

    @Option(names = "--input", paramLabel = "I.json", description = "The execution input (default: {}).")
    Path input;

    @Option(names = "--history", paramLabel = "H.json", description = "Also write the execution's history events here.")
    Path history;

    @Option(names = "--name", description = "Execution name (default: a random UUID).")
    String name;

    @Option(names = "--identity-lambdas", description = "Every Lambda function returns its input unchanged.")
    boolean identityLambdas;

    @Option(names = "--virtual-time", description = "Wait states and retry intervals do not really wait.")
    boolean virtualTime;

    @Override
    public Integer call() {
        StateMachine sm;
        try {
            sm = StateMachine.parse(CliFiles.readJson(definition, "definition"));
        } catch (DefinitionException e) {
            throw new CliError(definition + ": " + e.getMessage());
        }
        JsonNode in = input == null ? AslJson.NODES.objectNode() : CliFiles.readJson(input, "input");
        AslEngine.Builder b = AslEngine.builder()
                .recordHistory(history != null)
                .timeSource(virtualTime ? TimeSource.virtual(Instant.now()) : TimeSource.system());
        if (identityLambdas) {
            b.lambdaInvoker(LambdaInvoker.identity());
        }
        ExecutionResult r;
        try (AslEngine engine = b.build()) {
            r = engine.execute(sm, in, name != null ? name : UUID.randomUUID().toString());
        }
        if (history != null) {
            CliFiles.writeJson(history, r.historyJson(), "history");
        }
        spec.commandLine().getOut().println(AslJson.write(r.toJson()));
        spec.commandLine().getOut().flush();
        return r.status() == ExecutionStatus.SUCCEEDED ? 0 : 1;
    }
}
