package dev.chunkflow.local.sfn;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.common.Json;

/**
 * A Step Functions API endpoint on loopback speaking the service's wire protocol (AWS JSON 1.0,
 * {@code X-Amz-Target: AWSStepFunctions.*}), so StartJob's real SDK {@code SfnClient} starts executions
 * on the local engine exactly as it does on AWS. It implements the calls chunkflow makes:
 * StartExecution, DescribeExecution, StopExecution.
 */
public final class LocalStepFunctionsEndpoint implements AutoCloseable {
    private final HttpServer server;
    private final ExecutionBackend backend;
    private final ExecutorService handlerThreads = Executors.newFixedThreadPool(4);

    public LocalStepFunctionsEndpoint(ExecutionBackend backend) throws IOException {
        this.backend = backend;
        this.server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", this::handle);
        server.setExecutor(handlerThreads);
        server.start();
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private void handle(HttpExchange exchange) throws IOException {
        String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
        JsonNode body;
        try (InputStream in = exchange.getRequestBody()) {
            byte[] bytes = in.readAllBytes();
            body = bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            reply(exchange, 400, error("SerializationException", "request body is not JSON"));
            return;
        }
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        try {
            Map<String, Object> result = switch (op) {
                case "StartExecution" -> backend.startExecution(
                        text(body, "stateMachineArn"), body.path("name").asText(null), body.path("input").asText("{}"));
                case "DescribeExecution" -> backend.describeExecution(text(body, "executionArn"));
                case "StopExecution" -> backend.stopExecution(text(body, "executionArn"),
                        body.path("error").asText(null), body.path("cause").asText(null));
                default -> throw new ServiceError("UnknownOperationException", "operation not supported locally: " + target);
            };
            reply(exchange, 200, result);
        } catch (ServiceError e) {
            reply(exchange, 400, error(e.type(), e.getMessage()));
        } catch (RuntimeException e) {
            reply(exchange, 500, error("InternalFailure", String.valueOf(e.getMessage())));
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new ServiceError("ValidationException", "1 validation error detected: '" + field + "' must not be null");
        }
        return v.asText();
    }

    private static Map<String, Object> error(String type, String message) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("__type", type);
        m.put("message", message);
        return m;
    }

    private static void reply(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = Json.bytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.0");
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        server.stop(0);
        handlerThreads.shutdownNow();
    }

    /** What the endpoint drives: the local engine's executions. Maps are the service's JSON shapes. */
    public interface ExecutionBackend {
        Map<String, Object> startExecution(String stateMachineArn, String name, String input);

        Map<String, Object> describeExecution(String executionArn);

        Map<String, Object> stopExecution(String executionArn, String error, String cause);
    }

    /** A service error with its wire type, e.g. ExecutionAlreadyExists, ExecutionDoesNotExist. */
    public static final class ServiceError extends RuntimeException {
        private final String type;

        public ServiceError(String type, String message) {
            super(message);
            this.type = type;
        }

        public String type() {
            return type;
        }
    }
}
