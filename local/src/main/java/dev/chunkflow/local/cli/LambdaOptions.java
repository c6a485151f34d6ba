package dev.chunkflow.local.cli;

import dev.chunkflow.local.lambda.LambdaRuntimeOptions;
import picocli.CommandLine.Option;

/** How {@code run} and {@code invoke} run the functions: isolation, injected latency, concurrency, memory. */
public final class LambdaOptions {
    @Option(names = "--isolation", defaultValue = "in-process", paramLabel = "MODE",
            description = "in-process (default: every environment in this JVM) or process (a JVM per execution environment,"
                    + " heap from MemorySize, private /tmp capped at EphemeralStorage, killed on timeout).")
    String isolation;

    @Option(names = "--latency", paramLabel = "FN=TIME[,...]",
            description = "Add TIME (ms, s or m) to every invocation of FN (logical id or short name) before its handler runs,"
                    + " on the invocation's clock, without waiting: e.g. ProcessChunk=400s times out at its 300 s Timeout.")
    String latency;

    @Option(names = "--account-concurrency", defaultValue = "" + LambdaRuntimeOptions.AWS_ACCOUNT_CONCURRENCY, paramLabel = "N",
            description = "The account's concurrent executions (default: ${DEFAULT-VALUE}, AWS's); over it, or over a function's"
                    + " ReservedConcurrentExecutions, an invocation fails with Lambda.TooManyRequestsException.")
    int accountConcurrency;

    @Option(names = "--process-memory", defaultValue = "" + LambdaRuntimeOptions.DEFAULT_PROCESS_MEMORY_MB, paramLabel = "MB",
            description = "--isolation process: the sum of MemorySize over live environments stays within MB"
                    + " (default: ${DEFAULT-VALUE}); idle environments are ended to make room, else a cold start waits.")
    int processMemoryMb;

    LambdaRuntimeOptions toRuntimeOptions() {
        try {
            return new LambdaRuntimeOptions(LambdaRuntimeOptions.Isolation.parse(isolation),
                    LambdaRuntimeOptions.parseLatency(latency), accountConcurrency, processMemoryMb);
        } catch (IllegalArgumentException e) {
            throw new CliError(e.getMessage());
        }
    }
}
