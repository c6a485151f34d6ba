package dev.chunkflow.local.asl;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** One entry of a state's Retry list. */
record Retrier(List<String> errorEquals, int intervalSeconds, int maxAttempts, double backoffRate,
               Integer maxDelaySeconds, boolean fullJitter) {

    /** Delay before retry number {@code retryIndex} (0-based), capped by MaxDelaySeconds, with optional full jitter. */
    Duration delay(int retryIndex) {
        double seconds = intervalSeconds * Math.pow(backoffRate, retryIndex);
        if (maxDelaySeconds != null) {
            seconds = Math.min(seconds, maxDelaySeconds);
        }
        if (fullJitter) {
            seconds = ThreadLocalRandom.current().nextDouble() * seconds;
        }
        return Duration.ofNanos((long) (seconds * 1e9));
    }

    boolean matches(String error) {
        return ErrorMatch.matches(errorEquals, error);
    }
}
