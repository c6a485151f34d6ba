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
 * on the local engine exactly as it does on AWS. {@link #dispatch} is the protocol itself, shared with
 * {@code chunkflow serve}'s edge port: StartExecution, DescribeExecution, StopExecution, ListExecutions,
 * GetExecutionHistory, DescribeStateMachine, ListStateMachines, DescribeMapRun, ListMapRuns.
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
        byte[] bytes;
        try (InputStream in = exchange.getRequestBody()) {
            bytes = in.readAllBytes();
        }
        Reply r = dispatch(backend, exchange.getRequestHeaders().getFirst("X-Amz-Target"), bytes);
        reply(exchange, r.status(), r.body());
    }

    /** An answer of the JSON 1.0 protocol: 200 with the result, 400 with {@code __type}, 500. */
    public record Reply(int status, Map<String, Object> body) {
    }

    /** One Step Functions API call: {@code X-Amz-Target: AWSStepFunctions.OPERATION} and its JSON body. */
    public static Reply dispatch(ExecutionBackend backend, String target, byte[] bytes) {
        JsonNode body;
        try {
            body = bytes.length == 0 ? Json.MAPPER.createObjectNode() : Json.MAPPER.readTree(bytes);
        } catch (IOException e) {
            return new Reply(400, error("SerializationException", "request body is not JSON"));
        }
        if (!body.isObject()) {
            return new Reply(400, error("SerializationException", "request body is not a JSON object"));
        }
        String op = target == null ? "" : target.substring(target.indexOf('.') + 1);
        try {
            Map<String, Object> result = switch (op) {
                case "StartExecution" -> backend.startExecution(
                        text(body, "stateMachineArn"), optionalText(body, "name"), body.path("input").asText("{}"));
                case "DescribeExecution" -> backend.describeExecution(text(body, "executionArn"));
                case "RedriveExecution" -> backend.redriveExecution(text(body, "executionArn"));
                case "StopExecution" -> backend.stopExecution(text(body, "executionArn"),
                        optionalText(body, "error"), optionalText(body, "cause"));
                case "ListExecutions" -> backend.listExecutions(text(body, "stateMachineArn"),
                        status(optionalText(body, "statusFilter")), maxResults(body), optionalText(body, "nextToken"));
                case "GetExecutionHistory" -> backend.getExecutionHistory(text(body, "executionArn"), maxResults(body),
                        body.path("reverseOrder").asBoolean(false), optionalText(body, "nextToken"),
                        body.path("includeExecutionData").asBoolean(true));
                case "DescribeStateMachine" -> backend.describeStateMachine(text(body, "stateMachineArn"));
                case "ListStateMachines" -> backend.listStateMachines(maxResults(body), optionalText(body, "nextToken"));
                case "DescribeMapRun" -> backend.describeMapRun(text(body, "mapRunArn"));
                case "ListMapRuns" -> backend.listMapRuns(text(body, "executionArn"), maxResults(body), optionalText(body, "nextToken"));
                default -> throw new ServiceError("UnknownOperationException", "operation not supported locally: " + target);
            };
            return new Reply(200, result);
        } catch (ServiceError e) {
            return new Reply(400, error(e.type(), e.getMessage()));
        } catch (RuntimeException e) {
            return new Reply(500, error("InternalFailure", String.valueOf(e.getMessage())));
        }
    }

    private static final java.util.Set<String> STATUSES = java.util.Set.of("RUNNING", "SUCCEEDED", "FAILED", "TIMED_OUT",
            "ABORTED", "PENDING_REDRIVE");

    private static String status(String s) {
        if (s != null && !STATUSES.contains(s)) {
            throw new ServiceError("ValidationException", "1 validation error detected: Value '" + s
                    + "' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: " + STATUSES);
        }
        return s;
    }

    private static int maxResults(JsonNode body) {
        JsonNode v = body.get("maxResults");
        if (v == null || v.isNull()) {
            return 0;
        }
        if (!v.isInt() || v.asInt() < 0 || v.asInt() > 1000) {
            throw new ServiceError("ValidationException", "1 validation error detected: Value '" + v
                    + "' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to 1000");
        }
        return v.asInt();
    }

    private static String optionalText(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isTextual()) {
            throw new ServiceError("SerializationException", "'" + field + "' must be a string");
        }
        return v.asText();
    }

    private static String text(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || !v.isTextual()) {
            throw new ServiceError("ValidationException", "1 validation error detected: '" + field + "' must not be null");
        }
        return v.asText();
    }

    static Map<String, Object> error(String type, String message) {
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

        default Map<String, Object> listExecutions(String stateMachineArn, String statusFilter, int maxResults, String nextToken) {
            throw unsupported("ListExecutions");
        }

        default Map<String, Object> redriveExecution(String executionArn) {
            throw unsupported("RedriveExecution");
        }

        default Map<String, Object> getExecutionHistory(String executionArn, int maxResults, boolean reverseOrder,
                                                        String nextToken, boolean includeExecutionData) {
            throw unsupported("GetExecutionHistory");
        }

        default Map<String, Object> describeStateMachine(String stateMachineArn) {
            throw unsupported("DescribeStateMachine");
        }

        default Map<String, Object> listStateMachines(int maxResults, String nextToken) {
            throw unsupported("ListStateMachines");
        }

        default Map<String, Object> describeMapRun(String mapRunArn) {
            throw unsupported("DescribeMapRun");
        }

        default Map<String, Object> listMapRuns(String executionArn, int maxResults, String nextToken) {
            throw unsupported("ListMapRuns");
        }

        private static ServiceError unsupported(String op) {
            return new ServiceError("UnknownOperationException", "operation not supported by this endpoint: " + op);
        }
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
