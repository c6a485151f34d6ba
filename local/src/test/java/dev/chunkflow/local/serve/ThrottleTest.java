package dev.chunkflow.local.serve;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** API Gateway's token bucket: the burst at once, then the rate. */
class ThrottleTest {
    @Test
    void burstThenRefillAtTheRate() throws Exception {
        Throttle t = new Throttle(3, 10);
        assertTrue(t.tryAcquire());
        assertTrue(t.tryAcquire());
        assertTrue(t.tryAcquire());
        assertFalse(t.tryAcquire(), "the burst is spent");
        Thread.sleep(250); // 10 per second: at least 2 tokens back, never more than the burst
        assertTrue(t.tryAcquire());
        assertTrue(t.tryAcquire());
    }
}
