package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Writes a retried task repeats (the faults that showed them are in the local chaos tests): a chunk's
 * counters and an update with an id land once, against DynamoDB Local.
 */
@ExtendWith(AwsExtension.class)
class RepeatedWritesTest {

    @Test
    void aChunksCountersAreAddedOnceAndItsMarkerLeavesWhenDone(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("count");
        store.createIfAbsent(id, Map.of());
        ChunkCounters counters = store.chunkCounters();
        Map<String, Long> deltas = Map.of("chunks_done", 1L, "rows_in", 500L);
        assertTrue(counters.addOnce(id, 3, deltas));
        assertFalse(counters.addOnce(id, 3, deltas), "the repeat is refused by the condition");
        assertTrue(counters.addOnce(id, 4, deltas));
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals("2", item.get("chunks_done").n());
        assertEquals("1000", item.get("rows_in").n());
        assertEquals(List.of("3", "4"), item.get(ChunkCounters.COUNTING).ns().stream().sorted().toList());

        counters.done(id, 3);
        counters.done(id, 3);
        assertEquals(List.of("4"), rawItem(aws, id).get(ChunkCounters.COUNTING).ns());
        counters.done(id, 4);
        assertFalse(rawItem(aws, id).containsKey(ChunkCounters.COUNTING), "an emptied set is removed");
    }

    @Test
    void anUpdateWithTheSameIdIsAppliedOnce(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("once");
        store.createIfAbsent(id, Map.of());
        JobUpdate update = JobUpdate.builder(id).appendSteps(List.of(step("Summarize", 10))).updateId("finish-1").build();
        JobStore.UpdateResult first = store.update(update);
        JobStore.UpdateResult repeat = store.update(update);
        assertEquals(first.version(), repeat.version());
        assertEquals(1, rawItem(aws, id).get(JobItem.STEPS).l().size());
        store.update(JobUpdate.builder(id).status("SUCCEEDED").build());
        assertEquals("SUCCEEDED", rawItem(aws, id).get(JobItem.STATUS).s());
        assertNotEquals("finish-1", rawItem(aws, id).get(JobItem.LAST_UPDATE_ID).s(), "updates without an id get their own");
    }
}
