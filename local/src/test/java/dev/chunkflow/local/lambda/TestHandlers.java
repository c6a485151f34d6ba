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
}
