package dev.chunkflow.testkit;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;

/** HTTP API (payload 2.0) events from {@code events/}, and the API handlers invoked through bytes as Lambda does. */
public final class ApiEvents {
    private ApiEvents() {
    }

    /** {@code events/<name>} as a JSON object the test may change (tests run from {@code functions/}). */
    public static ObjectNode load(String name) {
        try {
            return (ObjectNode) Json.readTree(Files.readAllBytes(Path.of("..", "events", name)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The response document a handler wrote, as API Gateway reads it. */
    public record Response(int statusCode, Map<String, String> headers, String body, boolean isBase64Encoded) {
        public JsonNode json() {
            return Json.readTree(body.getBytes(StandardCharsets.UTF_8));
        }
    }

    /** The event's bytes in, the response's bytes out (the response must carry exactly the payload 2.0 fields). */
    public static Response invoke(RequestStreamHandler handler, JsonNode event) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(Json.bytes(event)), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode r = Json.readTree(out.toByteArray());
        Map<String, String> headers = new LinkedHashMap<>();
        r.path("headers").fields().forEachRemaining(h -> headers.put(h.getKey(), h.getValue().asText()));
        if (!r.path("statusCode").isInt() || !r.path("body").isTextual() || !r.path("isBase64Encoded").isBoolean()
                || r.size() != 4) {
            throw new AssertionError("not an HTTP API response {statusCode, headers, body, isBase64Encoded}: " + r);
        }
        return new Response(r.get("statusCode").asInt(), headers, r.get("body").asText(), r.get("isBase64Encoded").asBoolean());
    }
}
