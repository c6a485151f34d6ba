package dev.chunkflow.local.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.asl.cases.CaseResult;
import dev.chunkflow.local.asl.cases.CaseRunner;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code chunkflow asl test DIR [--json OUT]}: runs every case file of DIR. */
@Command(name = "test", mixinStandardHelpOptions = true,
        description = "Run every *.json case file in DIR (definition, input, expected); print failures and 'N passed, M failed'.")
public final class AslTestCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DIR", description = "Folder of case files.")
    Path dir;

    @Option(names = "--json", paramLabel = "OUT", description = "Write {\"<file>\": {status, output, error, cause}} here.")
    Path json;

    @Override
    public Integer call() {
        if (!Files.isDirectory(dir)) {
            throw new CliError("not a directory: " + dir);
        }
        List<CaseResult> results = new CaseRunner().runAll(dir);
        PrintWriter out = spec.commandLine().getOut();
        ObjectNode report = AslJson.NODES.objectNode();
        int passed = 0;
        for (CaseResult r : results) {
            if (r.passed()) {
                passed++;
            } else {
                out.println("FAIL " + r.file() + ": " + r.failure());
            }
            report.set(r.file(), r.result() == null ? AslJson.NODES.nullNode() : r.result().toJson());
        }
        if (json != null) {
            CliFiles.writeJson(json, report, "report");
        }
        int failed = results.size() - passed;
        out.println(passed + " passed, " + failed + " failed");
        out.flush();
        return failed == 0 ? 0 : 1;
    }
}
