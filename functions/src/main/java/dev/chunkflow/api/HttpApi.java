package dev.chunkflow.api;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;

/**
 * The parts of an API Gateway HTTP API (payload format 2.0) Lambda event and response that chunkflow's API
 * handlers use, read and written with our own Jackson: the handlers are {@code RequestStreamHandler}s, so
 * the Java runtime's POJO serialization (its own shaded Jackson, several hundred classes, loaded on the first
 * invoke) and {@code aws-lambda-java-events} stay out of their cold start. Field names are those of the
 * payload format 2.0 documentation (the same the runtime's {@code APIGatewayV2HTTPEvent} binds).
 */
public final class HttpApi {
    private HttpApi() {
    }

    /** The request: {@code requestContext.http.method}, {@code rawPath}, parameters, body, domain and stage. */
    public record Request(String method, String rawPath, Map<String, String> pathParameters,
                          Map<String, String> queryStringParameters, String body, boolean isBase64Encoded,
                          String domainName, String stage) {

        /** Reads the event the Lambda runtime hands a stream handler; not JSON is a failed invocation, as before. */
        public static Request read(InputStream event) {
            return of(Json.readTree(event));
        }

        public static Request of(JsonNode e) {
            JsonNode ctx = e.path("requestContext");
            return new Request(text(ctx.path("http").path("method")), text(e.path("rawPath")),
                    strings(e.path("pathParameters")), strings(e.path("queryStringParameters")), text(e.path("body")),
                    e.path("isBase64Encoded").asBoolean(false), text(ctx.path("domainName")), text(ctx.path("stage")));
        }

        /** The body as text, base64-decoded when API Gateway flagged it so. */
        public String decodedBody() {
            if (body != null && isBase64Encoded) {
                try {
                    return new String(Base64.getDecoder().decode(body), StandardCharsets.UTF_8);
                } catch (IllegalArgumentException e) {
                    throw new InvalidInput("$", "body is flagged base64 but is not valid base64");
                }
            }
            return body;
        }

        private static String text(JsonNode n) {
            return n.isNull() || n.isMissingNode() ? null : n.asText();
        }

        private static Map<String, String> strings(JsonNode n) {
            if (!n.isObject()) {
                return null;
            }
            Map<String, String> m = new LinkedHashMap<>();
            n.fields().forEachRemaining(f -> m.put(f.getKey(), text(f.getValue())));
            return Collections.unmodifiableMap(m);
        }
    }

    /** The response: {@code {statusCode, headers, body, isBase64Encoded}} (the body is text, never base64). */
    public record Response(int statusCode, Map<String, String> headers, String body) {

        /** {@code body} serialized with {@link Json}, {@code Content-Type: application/json} first, then {@code extraHeaders}. */
        public static Response json(int statusCode, Object body, Map<String, String> extraHeaders) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("Content-Type", "application/json");
            headers.putAll(extraHeaders);
            return new Response(statusCode, Collections.unmodifiableMap(headers), Json.string(body));
        }

        /**
         * The one shape of every API error: {@code {error, field, message}} ({@code field} only when one field is
         * at fault), {@code Cache-Control: no-store}.
         */
        public static Response error(int statusCode, String error, String field, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error", error);
            if (field != null) {
                body.put("field", field);
            }
            body.put("message", message);
            return json(statusCode, body, Map.of("Cache-Control", "no-store"));
        }

        /** 400 for a request that names the field it got wrong. */
        public static Response badRequest(InvalidInput e) {
            return error(400, "InvalidInput", e.field(), e.getMessage());
        }

        /** Writes {@link #bytes()} to the runtime's stream (left open: the runtime owns it). */
        public void write(OutputStream out) throws IOException {
            out.write(bytes());
        }

        /** The response document API Gateway reads from the function. */
        public byte[] bytes() {
            ByteArrayOutputStream out = new ByteArrayOutputStream(body.length() + 128);
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                g.writeStartObject();
                g.writeNumberField("statusCode", statusCode);
                g.writeObjectFieldStart("headers");
                for (Map.Entry<String, String> h : headers.entrySet()) {
                    g.writeStringField(h.getKey(), h.getValue());
                }
                g.writeEndObject();
                g.writeStringField("body", body);
                g.writeBooleanField("isBase64Encoded", false);
                g.writeEndObject();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return out.toByteArray();
        }
    }
}
