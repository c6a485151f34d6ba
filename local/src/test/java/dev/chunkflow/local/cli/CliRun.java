package dev.chunkflow.local.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

import picocli.CommandLine;

/** The chunkflow CLI run in-process for tests: exit code and what it printed. */
final class CliRun {
    static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    record Result(int exit, String out, String err) {
    }

    private CliRun() {
    }

    static Result cli(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cl = ChunkflowCli.commandLine();
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        int exit = cl.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    /** The CLI on the repository copy at {@code root} (its template.yaml and statemachines/). */
    static Result cliIn(Path root, String... args) {
        String previous = System.getProperty("chunkflow.repo.root");
        System.setProperty("chunkflow.repo.root", root.toString());
        try {
            return cli(args);
        } finally {
            System.setProperty("chunkflow.repo.root", previous == null ? REPO.toString() : previous);
        }
    }
}
