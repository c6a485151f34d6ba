package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** scripts/*.sh, other shell files in scripts/ and .ci/run: shellcheck clean, strict mode, --help. */
class ShellScriptsCheckTest {

    static List<Path> shellFiles() {
        Path root = Repo.root();
        List<Path> files = new ArrayList<>();
        for (Path p : Repo.list(root.resolve("scripts"), "*")) {
            if (Files.isRegularFile(p) && (p.toString().endsWith(".sh") || hasShellShebang(p))) {
                files.add(p);
            }
        }
        if (Files.isRegularFile(root.resolve(".ci/run"))) {
            files.add(root.resolve(".ci/run"));
        }
        return files;
    }

    private static boolean hasShellShebang(Path p) {
        try {
            String first = Files.readAllLines(p, StandardCharsets.UTF_8).stream().findFirst().orElse("");
            return first.startsWith("#!") && (first.contains("bash") || first.endsWith("/sh") || first.contains(" sh"));
        } catch (IOException | java.io.UncheckedIOException e) {
            return false; // binary or unreadable: not a shell script
        }
    }

    @Test
    void shellcheckPassesOnEveryScript() {
        Path shellcheck = Repo.requireTool("shellcheck", List.of(),
                "run `bash scripts/install-tools.sh` (apt-get install shellcheck) or install it from your package manager");
        List<Path> files = shellFiles();
        assertFalse(files.isEmpty());
        List<String> command = new ArrayList<>(List.of(shellcheck.toString(), "--external-sources", "--format=gcc"));
        files.forEach(f -> command.add(f.toString()));
        Repo.Result r = Repo.run(command, Repo.root(), Duration.ofMinutes(2));
        assertEquals(0, r.exitCode(), "shellcheck findings:\n" + r.output());
    }

    @Test
    void everyScriptRunsInStrictModeAndAnswersHelp() throws IOException {
        List<String> problems = new ArrayList<>();
        for (Path f : shellFiles()) {
            String name = Repo.root().relativize(f).toString();
            String text = Files.readString(f, StandardCharsets.UTF_8);
            if (!text.contains("set -euo pipefail")) {
                problems.add(name + ": missing `set -euo pipefail`");
            }
            if (!f.getParent().getFileName().toString().equals("scripts") || !f.toString().endsWith(".sh")) {
                continue;
            }
            Repo.Result r = Repo.run(List.of("bash", f.toString(), "--help"), Repo.root(), Duration.ofSeconds(30));
            if (r.exitCode() != 0 || !r.output().toLowerCase(java.util.Locale.ROOT).contains("usage")) {
                problems.add(name + " --help: exit " + r.exitCode() + ", expected 0 and a usage text; got:\n" + r.output());
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void scriptsRejectUnknownOptionsWithAClearMessage() {
        for (String script : List.of("deploy.sh", "start-execution.sh", "upload-sample-data.sh")) {
            Path f = Repo.root().resolve("scripts").resolve(script);
            Repo.Result r = Repo.run(List.of("bash", f.toString(), "--no-such-option"), Repo.root(), Duration.ofSeconds(30));
            assertEquals(1, r.exitCode(), script + ": " + r.output());
            assertTrue(r.output().contains("unknown option '--no-such-option'"), script + ": " + r.output());
        }
    }
}
