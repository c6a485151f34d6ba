package dev.chunkflow.local.bench.coldstart;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.lambda.LocalArns;

/** Secrets Manager GetSecretValue on loopback (AWS JSON 1.1), for ProcessChunk's token secret; counts the calls. */
final class FakeSecretsManager implements AutoCloseable {
    static final String LOCAL_SECRET = "cold-start-benchmark-secret-0123456789";

    private final HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();

    private FakeSecretsManager() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            Map<String, Object> body = new LinkedHashMap<>();
            int status = 200;
            if (target.equals("secretsmanager.GetSecretValue")) {
                body.put("ARN", "arn:aws:secretsmanager:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":secret:chunkflow-token-AbCdEf");
                body.put("Name", "chunkflow-token");
                body.put("SecretString", LOCAL_SECRET);
                body.put("VersionId", "00000000-0000-0000-0000-000000000001");
            } else {
                status = 400;
                body.put("__type", "UnknownOperationException");
            }
            calls.incrementAndGet();
            byte[] bytes = Json.bytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
    }

    static FakeSecretsManager start() throws IOException {
        FakeSecretsManager f = new FakeSecretsManager();
        f.server.start();
        return f;
    }

    String endpoint() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    int calls() {
        return calls.get();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
