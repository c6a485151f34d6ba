package dev.chunkflow.local.cli;

/** A user-facing error: printed as one line "chunkflow: message", exit code as given. */
public final class CliError extends RuntimeException {
    final int exitCode;

    public CliError(String message) {
        this(message, 2);
    }

    public CliError(String message, int exitCode) {
        super(message, null, false, false);
        this.exitCode = exitCode;
    }
}
