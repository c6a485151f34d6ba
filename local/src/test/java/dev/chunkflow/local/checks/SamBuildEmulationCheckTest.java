package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.chunkflow.local.template.FunctionDef;

/**
 * What `sam build` does with CodeUri functions/ (SAM's Java Maven workflow): copy the folder alone to a
 * scratch folder, `mvn clean install`, then `mvn dependency:copy-dependencies -DincludeScope=runtime`;
 * the artifact is target/classes plus target/dependency. The nested Maven uses the outer build's local
 * repository and is never offline: on a fresh clone with an empty repository nothing earlier has cached
 * the dependency plugin's own dependencies, so an offline nested build fails ("Cannot access central in
 * offline mode"); with everything cached, an online build of release versions makes no request anyway.
 * `-Dmaven.install.skip=true` is
 * the one difference from sam build: the local Maven repository is shared, and the scratch jar must
 * not land in it.
 */
class SamBuildEmulationCheckTest {
    static final List<String> FORBIDDEN_RUNTIME = List.of("netty", "apache-client", "apache5-client", "httpclient",
            "s3proxy", "dynamodblocal", "junit", "jetty", "sqlite4java", "aws-lambda-java-tests", "mockito");

    @TempDir
    static Path scratch;
    static Repo.Result install;
    static Repo.Result copyDependencies;

    @BeforeAll
    static void build() throws IOException {
        Path mvn = Repo.requireTool("mvn", List.of(), "install Maven 3.8+");
        Path functions = Repo.root().resolve("functions");
        copy(functions, scratch.resolve("functions"));
        Path dir = scratch.resolve("functions");
        List<String> base = new ArrayList<>(List.of(mvn.toString(), "-B", "-q"));
        base.addAll(outerMavenSettings());
        List<String> installCmd = new ArrayList<>(base);
        installCmd.addAll(List.of("clean", "install", "-Dmaven.install.skip=true"));
        install = Repo.run(installCmd, dir, Duration.ofMinutes(10));
        if (install.exitCode() == 0) {
            List<String> depsCmd = new ArrayList<>(base);
            depsCmd.addAll(List.of("dependency:copy-dependencies", "-DincludeScope=runtime"));
            copyDependencies = Repo.run(depsCmd, dir, Duration.ofMinutes(5));
        }
    }

    /** -Dmaven.repo.local as the outer build has it (local/pom.xml passes it to the tests). */
    static List<String> outerMavenSettings() {
        String repo = System.getProperty("chunkflow.maven.repo.local", "");
        return repo.isBlank() || repo.contains("${") ? List.of() : List.of("-Dmaven.repo.local=" + repo);
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            walk.filter(p -> !from.relativize(p).startsWith("target")).forEach(p -> {
                try {
                    Files.copy(p, to.resolve(from.relativize(p).toString()));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    @Test
    void functionsFolderBuildsAloneAsSamBuildsIt() {
        assertEquals(0, install.exitCode(), "mvn clean install in a scratch copy of functions/ failed:\n" + install.output());
        assertEquals(0, copyDependencies.exitCode(), "mvn dependency:copy-dependencies failed:\n" + copyDependencies.output());
        assertFalse(Files.exists(scratch.resolve("functions/target/surefire-reports")),
                "the sam-scratch-build profile must skip the test suite there");
    }

    @Test
    void runtimeDependenciesHoldNoTestServersAndNoExtraHttpClients() throws IOException {
        assertEquals(0, install.exitCode(), install.output());
        Path deps = scratch.resolve("functions/target/dependency");
        List<String> jars = new ArrayList<>();
        long bytes = 0;
        try (Stream<Path> s = Files.list(deps)) {
            for (Path p : s.sorted().toList()) {
                jars.add(p.getFileName().toString());
                bytes += Files.size(p);
            }
        }
        assertTrue(jars.stream().anyMatch(j -> j.startsWith("url-connection-client")), jars.toString());
        List<String> bad = jars.stream()
                .filter(j -> FORBIDDEN_RUNTIME.stream().anyMatch(f -> j.toLowerCase(Locale.ROOT).contains(f))).toList();
        assertTrue(bad.isEmpty(), "runtime dependencies that must not ship to Lambda: " + bad);
        System.out.printf("sam build emulation: %d runtime jars, %.1f MB%n", jars.size(), bytes / 1e6);
    }

    @Test
    void targetClassesHoldEveryHandlerOfTheTemplate() {
        assertEquals(0, install.exitCode(), install.output());
        List<String> missing = new ArrayList<>();
        for (FunctionDef fn : Repo.template().functions().values()) {
            Path cls = scratch.resolve("functions/target/classes").resolve(fn.handlerClass().replace('.', '/') + ".class");
            if (!Files.isRegularFile(cls)) {
                missing.add(fn.logicalId() + " -> " + fn.handlerClass());
            }
        }
        if (!missing.isEmpty()) {
            fail("handler classes missing from the sam build artifact: " + missing);
        }
    }
}
