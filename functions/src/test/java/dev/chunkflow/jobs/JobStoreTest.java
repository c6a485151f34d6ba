package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsExtension.class)
class JobStoreTest {

    @Test
    void createIfAbsentCreatesOnceAsQueued(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("create");
        assertTrue(store.createIfAbsent(id, Map.of("source_prefix", "input/visits/")));
        assertFalse(store.createIfAbsent(id, Map.of("source_prefix", "other/")));
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals("QUEUED", item.get("status").s());
        assertEquals("1", item.get("version").n());
        assertEquals("input/visits/", item.get("source_prefix").s());
        assertNotNull(item.get("created_at"));
    }

    @Test
    void smallStepsStayInlineWithoutS3Key(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("small");
        store.createIfAbsent(id, Map.of());
        JobStore.UpdateResult r = store.update(JobUpdate.builder(id).status("RUNNING")
                .appendSteps(steps("s", 3, 3000)).build());
        assertEquals("inline", r.executionStepsLocation());
        assertEquals(2, r.version());
        assertEquals("RUNNING", r.status());
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals(3, item.get("execution_steps").l().size());
        assertFalse(item.containsKey("execution_steps_s3_key"));
        assertEquals(ItemSize.bytes(item), r.itemBytes());
        assertTrue(keysUnder(aws, "jobs/" + id + "/").isEmpty());
    }

    @Test
    void countersAddAtomically(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("counters");
        store.createIfAbsent(id, Map.of());
        store.addCounters(id, Map.of("rows_in", 10L, "chunks_done", 1L));
        store.addCounters(id, Map.of("rows_in", 5L));
        store.update(JobUpdate.builder(id).counters(Map.of("rows_in", 1L, "rows_out", 7L)).build());
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals("16", item.get("rows_in").n());
        assertEquals("1", item.get("chunks_done").n());
        assertEquals("7", item.get("rows_out").n());
    }

    @Test
    void largeStepsAreOffloadedAndTheObjectHoldsThemAll(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("large");
        store.createIfAbsent(id, Map.of());
        List<Map<String, Object>> big = steps("b", 10, 350_000);
        JobStore.UpdateResult r = store.update(JobUpdate.builder(id).appendSteps(big).build());
        assertEquals("s3", r.executionStepsLocation());
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertFalse(item.containsKey("execution_steps"));
        String key = item.get("execution_steps_s3_key").s();
        assertTrue(key.startsWith("jobs/" + id + "/execution_steps/v2-"), key);
        assertEquals("10", item.get("execution_steps_count").n());
        assertEquals(5, item.get("execution_steps_preview").l().size());
        assertTrue(ItemSize.bytes(item) <= JobStore.DEFAULT_OFFLOAD_THRESHOLD_BYTES);
        assertEquals(json(big), json(stepsInObject(aws, key)));
    }
}
