package dev.chunkflow.local.lambda;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the local runner runs the template's functions: where each execution environment lives, the
 * latency injected into invocations, and the concurrency and memory bounds.
 *
 * @param isolation          {@link Isolation#IN_PROCESS} (default, fastest) or {@link Isolation#PROCESS}
 *                           (a JVM per execution environment)
 * @param latency            per function (logical id, or the id without its {@code Function} suffix): time
 *                           added to every invocation's clock before the handler runs (not really slept)
 * @param accountConcurrency the account's concurrent executions (AWS default 1,000)
 * @param processMemoryMb    process mode: the sum of the MemorySize of live environments may not pass this
 */
public record LambdaRuntimeOptions(Isolation isolation, Map<String, Duration> latency, int accountConcurrency,
                                   int processMemoryMb) {
    public static final int AWS_ACCOUNT_CONCURRENCY = 1_000;
    /** A third of this 24 GB machine's memory, in heap the child JVMs may reserve (not commit). */
    public static final int DEFAULT_PROCESS_MEMORY_MB = 8_192;

    private static final Pattern LATENCY = Pattern.compile("([A-Za-z0-9]+)=(\\d+)(ms|s|m)");

    public enum Isolation {
        IN_PROCESS, PROCESS;

        /** {@code in-process} or {@code process}, as the CLI spells them. */
        public static Isolation parse(String s) {
            return switch (s) {
                case "in-process" -> IN_PROCESS;
                case "process" -> PROCESS;
                default -> throw new IllegalArgumentException("--isolation: must be in-process or process, got '" + s + "'");
            };
        }
    }

    public LambdaRuntimeOptions {
        latency = Map.copyOf(latency);
        if (accountConcurrency < 1) {
            throw new IllegalArgumentException("--account-concurrency: must be at least 1, got " + accountConcurrency);
        }
        if (processMemoryMb < 128) {
            throw new IllegalArgumentException("--process-memory: must be at least 128 (MB), got " + processMemoryMb);
        }
    }

    public static LambdaRuntimeOptions defaults() {
        return new LambdaRuntimeOptions(Isolation.IN_PROCESS, Map.of(), AWS_ACCOUNT_CONCURRENCY, DEFAULT_PROCESS_MEMORY_MB);
    }

    public LambdaRuntimeOptions withIsolation(Isolation i) {
        return new LambdaRuntimeOptions(i, latency, accountConcurrency, processMemoryMb);
    }

    public LambdaRuntimeOptions withLatency(Map<String, Duration> l) {
        return new LambdaRuntimeOptions(isolation, l, accountConcurrency, processMemoryMb);
    }

    public LambdaRuntimeOptions withAccountConcurrency(int n) {
        return new LambdaRuntimeOptions(isolation, latency, n, processMemoryMb);
    }

    public LambdaRuntimeOptions withProcessMemoryMb(int mb) {
        return new LambdaRuntimeOptions(isolation, latency, accountConcurrency, mb);
    }

    /** The latency for a function: by logical id ({@code ProcessChunkFunction}) or short name ({@code ProcessChunk}). */
    public Duration latencyFor(String logicalId) {
        Duration d = latency.get(logicalId);
        if (d == null && logicalId.endsWith("Function")) {
            d = latency.get(logicalId.substring(0, logicalId.length() - "Function".length()));
        }
        return d == null ? Duration.ZERO : d;
    }

    /** {@code ProcessChunk=400s,GetChunks=250ms}: comma-separated NAME=AMOUNT with unit ms, s or m. */
    public static Map<String, Duration> parseLatency(String spec) {
        Map<String, Duration> out = new LinkedHashMap<>();
        if (spec == null || spec.isBlank()) {
            return out;
        }
        for (String part : spec.split(",")) {
            Matcher m = LATENCY.matcher(part.trim());
            if (!m.matches()) {
                throw new IllegalArgumentException("--latency: '" + part.trim() + "' is not FUNCTION=AMOUNT with unit ms, s or m"
                        + " (e.g. ProcessChunk=400s)");
            }
            long n = Long.parseLong(m.group(2));
            Duration d = switch (m.group(3)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                default -> Duration.ofMinutes(n);
            };
            out.put(m.group(1), d);
        }
        return out;
    }
}
