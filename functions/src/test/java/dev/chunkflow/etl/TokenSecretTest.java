package dev.chunkflow.etl;

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

/** Against a small HTTP server speaking the SSM JSON protocol (GetParameter), reached through AWS_ENDPOINT_URL_SSM. */
class TokenSecretTest {
    private HttpServer server;
    private final AtomicInteger calls = new AtomicInteger();
    private final Map<String, String> parameters = Map.of(
            "/chunkflow/token-secret", "a-real-looking-secret-0123456789abcdef",
            "/chunkflow/short", "too-short");

    @BeforeEach
    void start() throws IOException {
        TokenSecret.clearCache();
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", ex -> {
            calls.incrementAndGet();
            JsonNode req = Json.readTree(ex.getRequestBody().readAllBytes());
            String target = ex.getRequestHeaders().getFirst("X-Amz-Target");
            String name = req.path("Name").asText();
            boolean decrypt = req.path("WithDecryption").asBoolean();
            byte[] body;
            int status;
            if ("AmazonSSM.GetParameter".equals(target) && decrypt && parameters.containsKey(name)) {
                status = 200;
                body = Json.bytes(Map.of("Parameter", Map.of("Name", name, "Type", "SecureString",
                        "Value", parameters.get(name), "Version", 1)));
            } else {
                status = 400;
                body = Json.bytes(Map.of("__type", "ParameterNotFound", "message", "no " + name));
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

    private AwsClients clients(String param) {
        return new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "TOKEN_SECRET_PARAM", param,
                "AWS_ENDPOINT_URL_SSM", "http://127.0.0.1:" + server.getAddress().getPort())));
    }

    @Test
    void readsTheSecureStringOncePerExecutionEnvironment() {
        try (AwsClients c = clients("/chunkflow/token-secret")) {
            byte[] a = TokenSecret.resolve(c.env(), c::ssm);
            byte[] b = TokenSecret.resolve(c.env(), c::ssm);
            assertArrayEquals("a-real-looking-secret-0123456789abcdef".getBytes(StandardCharsets.UTF_8), a);
            assertArrayEquals(a, b);
            assertEquals(1, calls.get());
        }
    }

    @Test
    void unsetOrLocalMeansTheMarkedLocalDefaultWithoutAnyCall() {
        assertArrayEquals(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8),
                TokenSecret.resolve(Env.of(Map.of()), () -> { throw new AssertionError("no SSM call expected"); }));
        assertArrayEquals(TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8),
                TokenSecret.resolve(Env.of(Map.of("TOKEN_SECRET_PARAM", "local")), () -> { throw new AssertionError(); }));
        assertTrue(TokenSecret.LOCAL_DEFAULT.contains("LOCAL-ONLY"));
        assertEquals(0, calls.get());
    }

    @Test
    void aTooShortOrMissingSecretFails() {
        try (AwsClients c = clients("/chunkflow/short")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> TokenSecret.resolve(c.env(), c::ssm));
            assertTrue(e.getMessage().contains("at least 16"), e.getMessage());
        }
        try (AwsClients c = clients("/chunkflow/missing")) {
            assertThrows(software.amazon.awssdk.services.ssm.model.ParameterNotFoundException.class,
                    () -> TokenSecret.resolve(c.env(), c::ssm));
        }
    }
}
