package dev.chunkflow.pipeline.process;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

class BatchDeadlineTest {
    private static final Instant CHILD = Instant.parse("2026-12-02T06:00:00Z");

    @Test
    void anotherChunkOnlyWhileTheLongestSoFarWouldFinishBeforeTheBudget() {
        BatchDeadline d = BatchDeadline.of(CHILD.plusSeconds(1), Duration.ofSeconds(300), CHILD, Duration.ofSeconds(240));
        assertTrue(d.allows(CHILD.plusSeconds(200), Duration.ofSeconds(30), false));
        assertFalse(d.allows(CHILD.plusSeconds(220), Duration.ofSeconds(30), false), "220 + 30 > 240");
        assertTrue(d.allows(CHILD.plusSeconds(239), Duration.ofSeconds(30), true), "the first chunk before the hard limit");
        assertFalse(d.allows(CHILD.plusSeconds(241), Duration.ZERO, true), "a retry late in the child answers at once");
    }

    @Test
    void aZeroBudgetTakesExactlyTheFirstChunk() {
        BatchDeadline d = BatchDeadline.of(CHILD, null, CHILD, Duration.ZERO);
        assertTrue(d.allows(CHILD.plusMillis(5), Duration.ZERO, true));
        assertFalse(d.allows(CHILD.plusMillis(6), Duration.ZERO, false));
    }

    @Test
    void theInvocationsOwnEndCountsWhenItComesFirst() {
        // a retry 100 s into the child with 60 s left of the function's Timeout: stops at 150 s, not 240 s
        BatchDeadline d = BatchDeadline.of(CHILD.plusSeconds(100), Duration.ofSeconds(60), CHILD, Duration.ofSeconds(240));
        assertTrue(d.allows(CHILD.plusSeconds(140), Duration.ofSeconds(5), false));
        assertFalse(d.allows(CHILD.plusSeconds(146), Duration.ofSeconds(5), false));
        assertFalse(d.allows(CHILD.plusSeconds(151), Duration.ZERO, true));
        BatchDeadline inline = BatchDeadline.of(CHILD, null, null, Duration.ofSeconds(240));
        assertTrue(inline.allows(CHILD.plusSeconds(3600), Duration.ofSeconds(30), false), "no child, no Lambda context: no limit");
    }
}
