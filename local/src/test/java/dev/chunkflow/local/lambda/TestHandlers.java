package dev.chunkflow.local.lambda;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/** Handlers for the runtime-limit tests: they report what the runtime gave them. */
final class TestHandlers {
    private TestHandlers() {
    }

    /** Returns the remaining time its context reports and how often it ran. */
    public static final class RemainingTime implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        static final AtomicInteger CALLS = new AtomicInteger();

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            return Map.of("remaining_ms", context.getRemainingTimeInMillis(), "calls", CALLS.incrementAndGet());
        }
    }

    /** Really sleeps {@code millis}, then answers. */
    public static final class Sleep implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            try {
                Thread.sleep(((Number) input.get("millis")).longValue());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted");
            }
            return Map.of("slept", true);
        }
    }

    /** What the environment looks like from inside: process, heap, /tmp, memory variable. */
    public static final class Describe implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            System.out.println("{\"message\":\"describe handler ran\"}");
            return Map.of("pid", ProcessHandle.current().pid(), "max_heap", Runtime.getRuntime().maxMemory(),
                    "tmpdir", System.getProperty("java.io.tmpdir"),
                    "memory_env", String.valueOf(System.getenv("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")),
                    "memory_context", context.getMemoryLimitInMB());
        }
    }

    /** Holds {@code mb} megabytes at once: past the heap, java.lang.OutOfMemoryError. */
    public static final class Allocate implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            int mb = ((Number) input.get("mb")).intValue();
            byte[][] blocks = new byte[mb][];
            for (int i = 0; i < mb; i++) {
                blocks[i] = new byte[1 << 20];
            }
            return Map.of("held_mb", blocks.length);
        }
    }

    /** Lists the buckets twice through the runner's SDK clients (calls for a fault to hit). */
    public static final class TwoS3Calls implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        private final dev.chunkflow.aws.AwsClients clients;

        public TwoS3Calls(dev.chunkflow.aws.AwsClients clients) {
            this.clients = clients;
        }

        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            clients.s3().listBuckets();
            clients.s3().listBuckets();
            return Map.of("pid", ProcessHandle.current().pid());
        }
    }

    /** The runtime process dies with {@code status}, as a crashed sandbox does. */
    public static final class Halt implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            Runtime.getRuntime().halt(((Number) input.get("status")).intValue());
            return Map.of();
        }
    }

    /** Writes {@code mb} megabytes to a new file under java.io.tmpdir and lists what is there. */
    public static final class WriteTmp implements RequestHandler<Map<String, Object>, Map<String, Object>> {
        @Override
        public Map<String, Object> handleRequest(Map<String, Object> input, Context context) {
            try {
                java.nio.file.Path dir = java.nio.file.Path.of(System.getProperty("java.io.tmpdir"));
                java.nio.file.Path f = java.nio.file.Files.createTempFile(dir, "w", ".bin");
                java.nio.file.Files.write(f, new byte[((Number) input.get("mb")).intValue() << 20]);
                try (var files = java.nio.file.Files.list(dir)) {
                    return Map.of("files", files.count());
                }
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
    }
}
