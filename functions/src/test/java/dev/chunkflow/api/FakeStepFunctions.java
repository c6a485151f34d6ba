package dev.chunkflow.api;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.common.Json;

/**
 * A loopback HTTP peer speaking the Step Functions JSON 1.0 protocol for StartExecution, with its
 * documented name rule: a second start with the same name and the same input returns the existing
 * execution while it runs; with another input, or once the execution has closed (succeeded, failed,
 * timed out, aborted), it fails with ExecutionAlreadyExists.
 */
final class FakeStepFunctions implements AutoCloseable {
    private final HttpServer server;
    final Map<String, String> inputByName = new ConcurrentHashMap<>();
    final AtomicInteger startCalls = new AtomicInteger();
    /** Names of executions that have closed. */
    final java.util.Set<String> closed = ConcurrentHashMap.newKeySet();
    /** When set, every StartExecution is refused with this error code (400), as for a deleted state machine. */
    volatile String refuseWith;

    FakeStepFunctions() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            JsonNode req = Json.readTree(ex.getRequestBody().readAllBytes());
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            int status;
            Object body;
            if (!"AWSStepFunctions.StartExecution".equals(target)) {
                status = 400;
                body = Map.of("__type", "UnknownOperationException", "message", String.valueOf(target));
            } else {
                startCalls.incrementAndGet();
                if (refuseWith != null) {
                    byte[] refused = Json.bytes(Map.of("__type", refuseWith, "message", "refused by the test"));
                    ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
                    ex.sendResponseHeaders(400, refused.length);
                    ex.getResponseBody().write(refused);
                    ex.close();
                    return;
                }
                String machine = req.path("stateMachineArn").asText();
                String name = req.path("name").asText();
                String input = req.path("input").asText();
                String arn = machine.replace(":stateMachine:", ":execution:") + ":" + name;
                String existing = inputByName.putIfAbsent(name, input);
                if (existing == null || (existing.equals(input) && !closed.contains(name))) {
                    status = 200;
                    body = Map.of("executionArn", arn, "startDate", 1.7e9);
                } else {
                    status = 400;
                    body = Map.of("__type", "ExecutionAlreadyExists", "message", "Execution Already Exists: '" + arn + "'");
                }
            }
            byte[] bytes = Json.bytes(body);
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.0");
            ex.sendResponseHeaders(status, bytes.length);
            ex.getResponseBody().write(bytes);
            ex.close();
        });
        server.start();
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
