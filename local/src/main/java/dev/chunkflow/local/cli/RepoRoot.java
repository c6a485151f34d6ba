package dev.chunkflow.local.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository folder holding template.yaml (the CLI reads the template, definitions and events from it). */
final class RepoRoot {
    private RepoRoot() {
    }

    static Path find() {
        String prop = System.getProperty("chunkflow.repo.root");
        Path start = prop != null ? Path.of(prop) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath().normalize(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("template.yaml")) && Files.isDirectory(p.resolve("statemachines"))) {
                return p;
            }
        }
        throw new CliError("cannot find template.yaml: run from the chunkflow repository (or set -Dchunkflow.repo.root)");
    }
}
