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

    /** {@code "${arr[@]}"} not already guarded as {@code ${arr[@]+"${arr[@]}"}}. */
    static final java.util.regex.Pattern GUARDED_ARRAY =
            java.util.regex.Pattern.compile("\\$\\{(\\w+)\\[@]\\+\"\\$\\{\\1\\[@]}\"}");
    static final java.util.regex.Pattern ARRAY_EXPANSION = java.util.regex.Pattern.compile("\"\\$\\{\\w+\\[@]}\"");

    /** The lines of {@code text} that expand an array unguarded. */
    static List<String> unguardedArrayExpansions(String text) {
        List<String> bad = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.startsWith("#")) {
                continue;
            }
            if (ARRAY_EXPANSION.matcher(GUARDED_ARRAY.matcher(line).replaceAll("")).find()) {
                bad.add((i + 1) + ": " + line);
            }
        }
        return bad;
    }

    /**
     * Stock macOS has bash 3.2, where {@code set -u} makes {@code "${arr[@]}"} of an empty array an
     * "unbound variable" error (bash 4.4 changed that, so running the scripts here cannot show it):
     * every array expansion is written {@code ${arr[@]+"${arr[@]}"}}, which expands to nothing when empty.
     */
    @Test
    void arrayExpansionsSurviveBash32WithSetU() throws IOException {
        assertEquals(List.of("1: aws \"${aws_args[@]}\" s3 ls"), unguardedArrayExpansions("aws \"${aws_args[@]}\" s3 ls"));
        assertEquals(List.of(), unguardedArrayExpansions("aws ${aws_args[@]+\"${aws_args[@]}\"} s3 ls"));
        List<String> bad = new ArrayList<>();
        for (Path p : shellFiles()) {
            for (String line : unguardedArrayExpansions(Files.readString(p, StandardCharsets.UTF_8))) {
                bad.add(Repo.root().relativize(p) + ":" + line);
            }
        }
        assertTrue(bad.isEmpty(), "use ${arr[@]+\"${arr[@]}\"} (bash 3.2 + set -u aborts on an empty array):\n"
                + String.join("\n", bad));
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
        for (String script : List.of("deploy.sh", "start-execution.sh", "upload-sample-data.sh", "redrive.sh")) {
            Path f = Repo.root().resolve("scripts").resolve(script);
            Repo.Result r = Repo.run(List.of("bash", f.toString(), "--no-such-option"), Repo.root(), Duration.ofSeconds(30));
            assertEquals(1, r.exitCode(), script + ": " + r.output());
            assertTrue(r.output().contains("unknown option '--no-such-option'"), script + ": " + r.output());
        }
    }
}
