package dev.chunkflow.local.asl.cases;

import dev.chunkflow.local.asl.ExecutionResult;

/** One case file's outcome: what the engine produced and, when it differs from the expectation, how. */
public record CaseResult(String file, boolean passed, String failure, ExecutionResult result) {
}
