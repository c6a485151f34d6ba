package dev.chunkflow.settings;

/**
 * A function's environment is wrong for it (a required variable is missing, a number is out of its
 * bounds): a deployment error, raised when the handler is built, so the function fails at init with the
 * variable's name and the reason instead of at the first request that happens to need it.
 */
public class InvalidSetting extends RuntimeException {
    private final String name;

    public InvalidSetting(String name, String reason) {
        super("environment variable " + name + ": " + reason);
        this.name = name;
    }

    public String name() {
        return name;
    }
}
