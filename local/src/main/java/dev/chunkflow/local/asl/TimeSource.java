package dev.chunkflow.local.asl;

import java.time.Duration;
import java.time.Instant;

/** The engine's clock and sleeper (Wait states, retry intervals). Tests use {@link #virtual(Instant)}. */
public interface TimeSource {
    Instant now();

    void sleep(Duration d) throws InterruptedException;

    static TimeSource system() {
        return new TimeSource() {
            @Override
            public Instant now() {
                return Instant.now();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                if (!d.isNegative() && !d.isZero()) {
                    Thread.sleep(d.toMillis());
                }
            }
        };
    }

    /** A clock that never really sleeps: sleeping moves it forward. Total slept time is {@link Virtual#slept()}. */
    static Virtual virtual(Instant start) {
        return new Virtual(start);
    }

    final class Virtual implements TimeSource {
        private final Instant start;
        private Duration elapsed = Duration.ZERO;

        Virtual(Instant start) {
            this.start = start;
        }

        @Override
        public Instant now() {
            synchronized (this) {
                return start.plus(elapsed);
            }
        }

        @Override
        public void sleep(Duration d) throws InterruptedException {
            if (Thread.interrupted()) {
                throw new InterruptedException();
            }
            if (!d.isNegative()) {
                synchronized (this) {
                    elapsed = elapsed.plus(d);
                }
            }
        }

        public Duration slept() {
            synchronized (this) {
                return elapsed;
            }
        }
    }
}
