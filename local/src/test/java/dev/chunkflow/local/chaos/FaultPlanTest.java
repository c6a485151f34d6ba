package dev.chunkflow.local.chaos;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chunkflow.local.faults.FaultKind;
import dev.chunkflow.local.faults.FaultPlan;
import dev.chunkflow.local.faults.FaultScope;
import dev.chunkflow.local.faults.FaultedInvocation;
import dev.chunkflow.local.faults.InvocationFaults;

/** How invocations are addressed and points named, without running anything. */
class FaultPlanTest {
    private static byte[] json(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void invocationsAreAddressedByWhatTheyWorkOnAndRetriesCountAsAttempts() {
        FaultPlan plan = FaultPlan.at("ProcessChunkFunction/chunk-2", 3, FaultKind.CRASH_AFTER, FaultScope.CALL);
        FaultedInvocation other = plan.next("ProcessChunkFunction", json("{\"job_id\":\"j\",\"chunk_id\":1}"));
        FaultedInvocation first = plan.next("ProcessChunkFunction", json("{\"job_id\":\"j\",\"chunk_id\":2}"));
        FaultedInvocation retry = plan.next("ProcessChunkFunction", json("{\"job_id\":\"j\",\"chunk_id\":2}"));
        assertEquals("ProcessChunkFunction/chunk-1", other.key());
        assertEquals(InvocationFaults.NONE, other.faults());
        assertEquals(1, first.attempt());
        assertEquals(InvocationFaults.at(3, FaultKind.CRASH_AFTER, FaultScope.CALL), first.faults());
        assertEquals(2, retry.attempt());
        assertEquals(InvocationFaults.NONE, retry.faults(), "the retry is clean");

        FaultedInvocation running = plan.next("UpdateJobFunction", json("{\"job_id\":\"j\",\"status\":\"RUNNING\"}"));
        FaultedInvocation succeeded = plan.next("UpdateJobFunction", json("{\"job_id\":\"j\",\"status\":\"SUCCEEDED\"}"));
        assertEquals("UpdateJobFunction/#1", running.key());
        assertEquals("UpdateJobFunction/#2", succeeded.key());
    }

    @Test
    void randomFaultsAreSeededPerInvocationAndAttempt() {
        FaultPlan a = FaultPlan.random(0.05, 9, FaultScope.ATTEMPT);
        FaultPlan b = FaultPlan.random(0.05, 9, FaultScope.ATTEMPT);
        byte[] payload = json("{\"job_id\":\"j\",\"chunk_id\":0}");
        FaultedInvocation a1 = a.next("ProcessChunkFunction", payload);
        FaultedInvocation a2 = a.next("ProcessChunkFunction", payload);
        assertEquals(a1.faults(), b.next("ProcessChunkFunction", payload).faults());
        assertTrue(a1.faults().seed() != a2.faults().seed(), "a retry draws other faults");
        assertThrows(IllegalArgumentException.class, () -> FaultPlan.random(1.5, 1, FaultScope.CALL));
    }

    @Test
    void pointsAreNamedByNumberOrByOperation() {
        Map<String, List<String>> calls = Map.of("ProcessChunkFunction/chunk-0",
                List.of("S3.GetObject", "S3.PutObject", "DynamoDb.UpdateItem", "S3.PutObject", "DynamoDb.UpdateItem"));
        assertEquals(4, ChaosCampaign.resolve("ProcessChunkFunction/chunk-0:S3.PutObject#-1:crash-after", calls).call());
        assertEquals(2, ChaosCampaign.resolve("ProcessChunkFunction/chunk-0:S3.PutObject:crash-after", calls).call());
        assertEquals(3, ChaosCampaign.resolve("ProcessChunkFunction/chunk-0:3:ambiguous", calls).call());
        assertThrows(IllegalArgumentException.class,
                () -> ChaosCampaign.resolve("ProcessChunkFunction/chunk-0:S3.GetObject:ddb-500", calls));
        assertThrows(IllegalArgumentException.class,
                () -> ChaosCampaign.resolve("ProcessChunkFunction/chunk-9:1:crash-after", calls));
        // Every kind that applies at each call: 3 everywhere, S3 adds 2 (GetObject 3), DynamoDB adds 3.
        assertEquals(6 + 5 + 6 + 5 + 6, ChaosCampaign.points(calls).size());
    }
}
