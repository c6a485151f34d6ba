package dev.chunkflow.aws;

import java.util.Map;
import java.util.Optional;

/**
 * The environment variables a function reads, as an immutable value. On Lambda it is
 * {@link #system()}; the local runner and tests pass the same variable names explicitly, so the code
 * path is identical and nothing depends on hidden global state.
 */
public record Env(Map<String, String> vars) {

    public Env {
        vars = Map.copyOf(vars);
    }

    public static Env system() {
        return new Env(System.getenv());
    }

    public static Env of(Map<String, String> vars) {
        return new Env(vars);
    }

    public Optional<String> get(String name) {
        String v = vars.get(name);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }

    public String require(String name) {
        return get(name).orElseThrow(() -> new IllegalStateException(
                "environment variable " + name + " is not set"));
    }

    public long getLong(String name, long defaultValue) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.get());
        } catch (NumberFormatException e) {
            throw new IllegalStateException("environment variable " + name + " must be an integer, got '" + v.get() + "'");
        }
    }

    public Env with(String name, String value) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(vars);
        copy.put(name, value);
        return new Env(copy);
    }
}
