package dev.chunkflow.local.serve;

import java.nio.file.Path;

/** A {@code chunkflow serve} stack for a test class: any free port, its own state directory. */
final class ServeFixture {
    static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    private ServeFixture() {
    }

    static ServeStack start(Path stateDir) {
        return ServeStack.start(REPO, stateDir, 0, 0, 0, ServeStack.DEFAULT_STACK_NAME);
    }
}
