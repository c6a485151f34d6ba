package dev.chunkflow.local.cli;

import picocli.CommandLine.Command;

/** {@code chunkflow asl ...}: the local Step Functions engine on its own. */
@Command(name = "asl", mixinStandardHelpOptions = true,
        description = "Run Amazon States Language definitions on the local engine.",
        subcommands = {AslRunCommand.class, AslTestCommand.class})
public final class AslCommand {
}
