package dev.chunkflow.local.bench.coldstart;

import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

/** What a response must look like for its start to count: a 2xx API response, a task result without an error, the floor's greeting. */
final class ResponseCheck {
    private ResponseCheck() {
    }

    /** Why {@code response} does not count, or null if it does. */
    static String problem(String target, byte[] response) {
        if (target.equals(ColdStart.FLOOR)) {
            String s = new String(response, StandardCharsets.UTF_8);
            return s.equals("\"hello, cold start\"") ? null : "unexpected floor response " + s;
        }
        JsonNode r;
        try {
            r = Json.readTree(response);
        } catch (RuntimeException e) {
            return "response is not JSON";
        }
        if (!r.isObject()) {
            return "response is not a JSON object";
        }
        if (r.has("errorType")) {
            return r.path("errorType").asText() + ": " + r.path("errorMessage").asText();
        }
        if (r.has("statusCode")) {
            int status = r.path("statusCode").asInt();
            return status >= 200 && status < 300 ? null : "HTTP " + status + " " + r.path("body").asText();
        }
        String expected = switch (target) {
            case "UpdateJobFunction" -> "version";
            case "GetChunksFunction" -> "num_chunks";
            case "ProcessChunkFunction" -> "rows_out";
            case "SummarizeFunction" -> "summary_key";
            case "OrphanCollectorFunction" -> "complete";
            default -> null;
        };
        return expected == null || r.has(expected) ? null : "response lacks " + expected + ": " + r;
    }
}
