package dev.chunkflow.local.run;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.lambda.LocalArns;

/**
 * {@code chunkflow run --break-chunk N}: ProcessChunk fails for chunk N (alone, or in the batch holding it)
 * before the handler runs, with {@code dev.chunkflow.common.InvalidInput}, which no retrier retries, so
 * the execution fails at the Map state and a redrive (without the option) has exactly that to finish.
 */
final class BrokenChunk {
    static final String FUNCTION = "ProcessChunkFunction";

    private BrokenChunk() {
    }

    static void check(String functionArn, byte[] payload, int chunk) {
        if (!FUNCTION.equals(LocalArns.functionName(functionArn))) {
            return;
        }
        JsonNode in = Json.readTree(payload);
        boolean hit = in.path("chunk_id").isIntegralNumber() && in.path("chunk_id").asInt() == chunk;
        for (JsonNode item : in.path("Items")) {
            JsonNode id = item.isObject() ? item.path("chunk_id") : item;
            hit |= id.isIntegralNumber() && id.asInt() == chunk;
        }
        if (hit) {
            throw TaskFailure.functionError("dev.chunkflow.common.InvalidInput",
                    "chunk_id: chunk " + chunk + " is broken on purpose (chunkflow run --break-chunk " + chunk
                            + "); chunkflow redrive runs without it");
        }
    }
}
