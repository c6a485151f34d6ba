package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.Assumptions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.chunkflow.local.template.SamTemplate;

/** The repository under check, and the policy for outside tools (shellcheck, asl-validator, mvn, cfn-lint). */
final class Repo {
    static final ObjectMapper JSON = new ObjectMapper();

    private Repo() {
    }

    static Path root() {
        String prop = System.getProperty("chunkflow.repo.root");
        Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("functions"))) {
                return p;
            }
        }
        throw new IllegalStateException("no repository root (template.yaml + functions/) above " + start);
    }

    static SamTemplate template() {
        return SamTemplate.load(root().resolve("template.yaml"));
    }

    static JsonNode readJson(Path file) {
        try {
            return JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new AssertionError(root().relativize(file) + " is not valid JSON: " + e.getMessage(), e);
        }
    }

    static List<Path> list(Path dir, String glob) {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (var stream = Files.newDirectoryStream(dir, glob)) {
            stream.forEach(out::add);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        out.sort(null);
        return out;
    }

    static boolean inCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * An outside tool the checks need. In CI (CI=true) a missing tool fails the check; elsewhere the
     * check is skipped, loudly, with the way to install it.
     */
    static Path requireTool(String name, List<Path> candidates, String installHint) {
        Optional<Path> found = candidates.stream().filter(Files::isExecutable).findFirst();
        if (found.isEmpty()) {
            found = onPath(name);
        }
        if (found.isPresent()) {
            return found.get();
        }
        String message = name + " is missing: " + installHint;
        if (inCi()) {
            fail(message + " (CI=true: this check may not be skipped)");
        }
        System.err.println("!!!!! SKIPPED CHECK: " + message);
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        return Stream.of(path.split(java.io.File.pathSeparator))
                .filter(s -> !s.isBlank())
                .map(dir -> Path.of(dir, name))
                .filter(Files::isExecutable)
                .findFirst();
    }

    record Result(int exitCode, String output) {
    }

    /** Runs a command (stdout and stderr merged) and waits at most {@code timeout}. */
    static Result run(List<String> command, Path dir, Duration timeout) {
        try {
            Path log = Files.createTempFile("chunkflow-check", ".log");
            try {
                Process p = new ProcessBuilder(command).directory(dir.toFile())
                        .redirectErrorStream(true).redirectOutput(log.toFile()).start();
                if (!p.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                    p.descendants().forEach(ProcessHandle::destroyForcibly);
                    p.destroyForcibly();
                    fail(String.join(" ", command) + " did not finish within " + timeout);
                }
                return new Result(p.exitValue(), Files.readString(log, StandardCharsets.UTF_8));
            } finally {
                Files.deleteIfExists(log);
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
