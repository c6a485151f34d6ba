package dev.chunkflow.local.run;

import java.time.Duration;
import java.time.Instant;

import dev.chunkflow.local.asl.TimeSource;

/**
 * The engine's clock in a run with {@code --latency}: real (scaled) time plus, per thread, the latency
 * injected into the Lambda calls that thread made. A Distributed Map child runs on one thread, so an
 * EXPRESS child whose ProcessChunk "took" 300 s is 300 s older when it checks its 5-minute deadline,
 * without anyone waiting. Threads that made no such call see plain time.
 */
final class LatencyClock implements TimeSource {
    private final TimeSource base;
    private final ThreadLocal<long[]> offsetNanos = ThreadLocal.withInitial(() -> new long[1]);

    LatencyClock(TimeSource base) {
        this.base = base;
    }

    @Override
    public Instant now() {
        return base.now().plusNanos(offsetNanos.get()[0]);
    }

    @Override
    public void sleep(Duration d) throws InterruptedException {
        base.sleep(d);
    }

    void advanceCurrentThread(Duration d) {
        offsetNanos.get()[0] += d.toNanos();
    }
}
