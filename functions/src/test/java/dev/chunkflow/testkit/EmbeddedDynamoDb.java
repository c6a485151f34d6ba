package dev.chunkflow.testkit;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.dynamodbv2.local.main.ServerRunner;
import com.amazonaws.services.dynamodbv2.local.server.DynamoDBProxyServer;

/**
 * DynamoDB Local as an HTTP server on loopback in this JVM (in memory, or file-backed under a
 * directory), so clients reach it exactly as they reach DynamoDB: through an endpoint URL.
 */
public final class EmbeddedDynamoDb implements AutoCloseable {
    /** Held: JUL keeps loggers weakly. DynamoDB Local configures it on start, so the level is set after. */
    private static final java.util.logging.Logger SQLITE_LOG = java.util.logging.Logger.getLogger("com.almworks.sqlite4java");
    private final DynamoDBProxyServer server;
    private final URI endpoint;

    private EmbeddedDynamoDb(Path dbDir, int port) throws Exception {
        int p = port == 0 ? freePort() : port;
        String[] args = dbDir == null
                ? new String[] {"-inMemory", "-port", String.valueOf(p), "-disableTelemetry"}
                : new String[] {"-dbPath", dbDir.toAbsolutePath().toString(), "-port", String.valueOf(p), "-disableTelemetry"};
        this.server = ServerRunner.createServerFromCommandLineArgs(args);
        server.start();
        SQLITE_LOG.setLevel(java.util.logging.Level.SEVERE); // "unknown jar version": sqlite4java's own version probe
        this.endpoint = URI.create("http://127.0.0.1:" + p);
    }

    public static EmbeddedDynamoDb inMemory() throws Exception {
        return new EmbeddedDynamoDb(null, 0);
    }

    public static EmbeddedDynamoDb onDisk(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        return new EmbeddedDynamoDb(dir, port);
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }
}
