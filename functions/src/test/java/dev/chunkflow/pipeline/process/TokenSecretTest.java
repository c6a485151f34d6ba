package dev.chunkflow.pipeline.process;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;

/**
 * Against a small HTTP server speaking the Secrets Manager JSON protocol (GetSecretValue), reached through
 * AWS_ENDPOINT_URL_SECRETS_MANAGER.
 */
class TokenSecretTest {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private static final String ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:TokenSecret-AbCdEf";
    private static final String SHORT_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:Short-AbCdEf";
    private final Map<String, String> secrets = Map.of(
            ARN, "a-real-looking-secret-0123456789abcdef",
            SHORT_ARN, "too-short");

    @BeforeEach
    void start() throws IOException {
        TokenSecret.clearCache();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            JsonNode req = Json.readTree(ex.getRequestBody().readAllBytes());
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String id = req.path("SecretId").asText();
            byte[] body;
            int status;
            if ("secretsmanager.GetSecretValue".equals(target) && secrets.containsKey(id)) {
                status = 200;
                body = Json.bytes(Map.of("ARN", id, "Name", "TokenSecret", "SecretString", secrets.get(id),
                        "VersionId", "00000000-0000-0000-0000-000000000001", "VersionStages", java.util.List.of("AWSCURRENT")));
            } else {
                status = 400;
                body = Json.bytes(Map.of("__type", "ResourceNotFoundException",
                        "message", "Secrets Manager can't find the specified secret."));
            }
            ex.getResponseHeaders().add("Content-Type", "application/x-amz-json-1.1");
            ex.sendResponseHeaders(status, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        TokenSecret.clearCache();
    }

    private AwsClients clients(String secretArn) {
        return new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "TOKEN_SECRET_ARN", secretArn,
                "AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://127.0.0.1:" + server.getAddress().getPort())));
    }

    @Test
    void readsTheSecretOncePerExecutionEnvironment() {
        try (AwsClients c = clients(ARN)) {
            byte[] a = TokenSecret.resolve(c.env(), c::secretsManager);
            byte[] b = TokenSecret.resolve(c.env(), c::secretsManager);
            assertArrayEquals("a-real-looking-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8), a);
            assertArrayEquals(a, b);
            assertEquals(1, calls.get());
        }
    }

    @Test
    void unsetOrLocalMeansTheMarkedLocalDefaultWithoutAnyCall() {
        assertArrayEquals(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8),
                TokenSecret.resolve(Env.of(Map.of()), () -> { throw new AssertionError("no Secrets Manager call expected"); }));
        assertArrayEquals(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8),
                TokenSecret.resolve(Env.of(Map.of("TOKEN_SECRET_ARN", "local")), () -> { throw new AssertionError(); }));
        assertTrue(TokenSecret.LOCAL_DEFAULT.contains("LOCAL-ONLY"));
        assertEquals(0, calls.get());
    }

    @Test
    void onLambdaAnUnsetSecretFailsClosedAtInit() {
        Env lambda = Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_LAMBDA_FUNCTION_NAME", "ProcessChunk", "DATA_BUCKET", "b"));
        var e = assertThrows(dev.chunkflow.settings.InvalidSetting.class,
                () -> TokenSecret.resolve(lambda, () -> { throw new AssertionError("no Secrets Manager call expected"); }));
        assertEquals("TOKEN_SECRET_ARN", e.name());
        try (AwsClients c = new AwsClients(lambda)) {
            var init = assertThrows(dev.chunkflow.settings.InvalidSetting.class, () -> new ProcessChunkHandler(c));
            assertTrue(init.getMessage().contains("TOKEN_SECRET_ARN"), init.getMessage());
        }
        // 'local' stays a deliberate choice (the local runner sets it), even where the function name is set
        assertArrayEquals(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8),
                TokenSecret.resolve(lambda.with("TOKEN_SECRET_ARN", "local"), () -> { throw new AssertionError(); }));
        assertEquals(0, calls.get());
    }

    @Test
    void aTooShortOrMissingSecretFails() {
        try (AwsClients c = clients(SHORT_ARN)) {
            var e = assertThrows(dev.chunkflow.settings.InvalidSetting.class, () -> TokenSecret.resolve(c.env(), c::secretsManager));
            assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        }
        try (AwsClients c = clients("arn:aws:secretsmanager:us-east-1:123456789012:secret:Missing-AbCdEf")) {
            assertThrows(software.amazon.awssdk.services.secretsmanager.model.ResourceNotFoundException.class,
                    () -> TokenSecret.resolve(c.env(), c::secretsManager));
        }
    }
}
