package dev.chunkflow.local.cli;

import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.sfn.ExecutionStore;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code chunkflow executions list | describe ARN | history ARN}: the executions persisted in the
 * state directory by {@code run} and {@code serve}, read without starting anything (so also while a
 * {@code serve} owns the directory). Output is the Step Functions API's JSON.
 */
@Command(name = "executions", mixinStandardHelpOptions = true,
        description = "List, describe or print the history of the executions kept in --state-dir (JSON, as the Step Functions API answers).",
        subcommands = {ExecutionsCommand.List.class, ExecutionsCommand.Describe.class, ExecutionsCommand.History.class})
public final class ExecutionsCommand {
    @ParentCommand
    ChunkflowCli parent;

    ExecutionStore store() {
        return new ExecutionStore(parent.stateDir());
    }

    /** The state machine name and execution name of an execution ARN (arn:aws:states:R:A:execution:SM:NAME). */
    /** The stored execution an ARN names; a CliError (exit 1) naming the ARN and the state dir if there is none. */
    ObjectNode requireExecution(String arn) {
        String[] id = parseArn(arn);
        return store().execution(id[0], id[1])
                .orElseThrow(() -> new CliError("no execution " + arn + " in " + parent.stateDir(), 1));
    }

    static String[] parseArn(String arn) {
        String[] p = arn.split(":", -1);
        if (p.length != 8 || !p[0].equals("arn") || !p[2].equals("states") || !p[5].equals("execution")) {
            throw new CliError("not an execution ARN (arn:aws:states:REGION:ACCOUNT:execution:STATE_MACHINE:NAME): " + arn);
        }
        return new String[] {p[6], p[7]};
    }

    private static void print(CommandSpec spec, Object json) throws Exception {
        spec.commandLine().getOut().println(AslJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json));
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Every execution, newest first (ListExecutions' shape).")
    static final class List implements Callable<Integer> {
        @ParentCommand
        ExecutionsCommand parent;

        @Spec
        CommandSpec spec;

        @Override
        public Integer call() throws Exception {
            ExecutionStore store = parent.store();
            ObjectNode out = AslJson.NODES.objectNode();
            ArrayNode items = out.putArray("executions");
            for (String sm : store.stateMachines()) {
                for (ObjectNode e : store.executions(sm)) {
                    ObjectNode i = items.addObject();
                    for (String f : new String[] {"executionArn", "stateMachineArn", "name", "status", "startDate", "stopDate"}) {
                        if (e.has(f)) {
                            i.set(f, e.get(f));
                        }
                    }
                }
            }
            print(spec, out);
            return 0;
        }
    }

    @Command(name = "describe", mixinStandardHelpOptions = true, description = "One execution (DescribeExecution's shape).")
    static final class Describe implements Callable<Integer> {
        @ParentCommand
        ExecutionsCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ARN", description = "The execution ARN.")
        String arn;

        @Override
        public Integer call() throws Exception {
            print(spec, parent.requireExecution(arn));
            return 0;
        }
    }

    @Command(name = "history", mixinStandardHelpOptions = true, description = "One execution's events (GetExecutionHistory's shape).")
    static final class History implements Callable<Integer> {
        @ParentCommand
        ExecutionsCommand parent;

        @Spec
        CommandSpec spec;

        @Parameters(paramLabel = "ARN", description = "The execution ARN.")
        String arn;

        @Override
        public Integer call() throws Exception {
            parent.requireExecution(arn);
            String[] id = parseArn(arn);
            ObjectNode out = AslJson.NODES.objectNode();
            out.set("events", parent.store().history(id[0], id[1]));
            print(spec, out);
            return 0;
        }
    }
}
