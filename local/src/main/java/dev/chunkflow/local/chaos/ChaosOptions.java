package dev.chunkflow.local.chaos;

import java.nio.file.Path;

import dev.chunkflow.local.faults.FaultScope;
import dev.chunkflow.local.lambda.LambdaRuntimeOptions;

/**
 * What {@code chunkflow chaos} runs.
 *
 * @param rows       sample rows (as {@code run --rows})
 * @param chunkRows  target rows per chunk (as {@code run --chunk-rows}); null: the template's default
 * @param seed       sample data seed
 * @param faultSeed  seeds the random faults and the sample of points
 * @param random     random mode (else points mode)
 * @param rate       random mode: each SDK call's fault probability
 * @param runs       random mode: runs to make
 * @param sample     points mode: try only this many points (a seeded sample), 0 = all
 * @param scope      every fault's scope; null = each kind's default (see {@link ChaosCampaign#scopeFor})
 * @param workers    runs in parallel, each worker on its own state dir, S3 and DynamoDB
 * @param only       points mode: only these points ({@code KEY:CALL:KIND}, e.g. {@code ProcessChunkFunction/chunk-0:7:crash-after}); empty: all
 */
public record ChaosOptions(long rows, Integer chunkRows, long seed, long faultSeed, boolean random, double rate, int runs,
                           int sample, FaultScope scope, int workers, Path stateDir, LambdaRuntimeOptions lambda,
                           double retryTimeScale, java.util.List<String> only) {
}
