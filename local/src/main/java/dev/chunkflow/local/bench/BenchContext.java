package dev.chunkflow.local.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What every section gets: the repository (template, definitions, built jars), a scratch folder of
 * its own under {@code bench/tmp/}, whether this is a {@code --quick} run, the results of the
 * sections that ran before it (the cost model reads them) and a log on stderr.
 */
public record BenchContext(Path repoRoot, Path scratchRoot, boolean quick, Map<String, JsonNode> earlier, PrintStream log) {

    /** A fresh, empty scratch folder for one section (or one part of it). */
    public Path scratch(String name) {
        Path dir = scratchRoot.resolve(name);
        try {
            if (Files.exists(dir)) {
                try (var walk = Files.walk(dir)) {
                    walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    public void say(String format, Object... args) {
        log.printf("bench: " + format + "%n", args);
        log.flush();
    }

    /** The deployable Lambda artifact, as {@code sam build} / {@code mvn package} makes it. */
    public Path lambdaJar() {
        return repoRoot.resolve("functions/target/chunkflow-functions-0.1.0-SNAPSHOT-lambda.jar");
    }

    /** The shaded CLI jar (handlers, local engine, embedded servers, this harness). */
    public Path cliJar() {
        return repoRoot.resolve("local/target/chunkflow-local-0.1.0-SNAPSHOT-cli.jar");
    }

    /** {@code quick} chooses the smaller of two sizes. */
    public long size(long full, long quickSize) {
        return quick ? quickSize : full;
    }
}
