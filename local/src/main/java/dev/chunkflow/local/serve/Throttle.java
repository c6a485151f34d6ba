package dev.chunkflow.local.serve;

/**
 * API Gateway's route throttle, a token bucket: {@code burst} requests at once, refilled at {@code rate}
 * per second; a request finding the bucket empty is answered 429.
 */
final class Throttle {
    private final double burst;
    private final double ratePerNano;
    private double tokens;
    private long last = System.nanoTime();

    Throttle(int burst, double ratePerSecond) {
        this.burst = burst;
        this.ratePerNano = ratePerSecond / 1e9;
        this.tokens = burst;
    }

    synchronized boolean tryAcquire() {
        long now = System.nanoTime();
        tokens = Math.min(burst, tokens + (now - last) * ratePerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
