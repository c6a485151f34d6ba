package dev.chunkflow.local.lambda;

import java.util.Map;
import java.util.OptionalInt;

/**
 * What the local runner needs to run one function of the template: its handler, the limits Lambda
 * applies to it, and the environment variables it gets (references already resolved to local values).
 *
 * @param ephemeralStorageMb  {@code EphemeralStorage.Size} (Lambda's default 512)
 * @param reservedConcurrency {@code ReservedConcurrentExecutions}, empty when the function has none
 */
public record FunctionConfig(String name, String handler, int memoryMb, int timeoutSeconds, int ephemeralStorageMb,
                             OptionalInt reservedConcurrency, Map<String, String> environment) {
    public static final int DEFAULT_EPHEMERAL_STORAGE_MB = 512;

    public FunctionConfig {
        environment = Map.copyOf(environment);
    }

    /** The same function with {@code more} variables in its environment. */
    public FunctionConfig withEnvironment(Map<String, String> more) {
        Map<String, String> vars = new java.util.HashMap<>(environment);
        vars.putAll(more);
        return new FunctionConfig(name, handler, memoryMb, timeoutSeconds, ephemeralStorageMb, reservedConcurrency, vars);
    }

    public long timeoutMillis() {
        return timeoutSeconds * 1000L;
    }
}
