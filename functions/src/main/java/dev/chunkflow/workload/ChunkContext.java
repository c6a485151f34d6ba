package dev.chunkflow.workload;

import java.util.function.Supplier;

/**
 * What a chunk processor may know about its run. {@code secret} is the run's pseudonymization secret
 * (read once per execution environment by the machinery); workloads that do not pseudonymize ignore it.
 */
public record ChunkContext(String jobId, int chunkId, Supplier<byte[]> secret) {
}
