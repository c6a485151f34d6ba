package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Many writers on one job; no update lost, none duplicated, across the inline-to-S3 switch. */
@ExtendWith(AwsExtension.class)
class JobStoreConcurrencyTest {
    private static final int WRITERS = 32;
    private static final int APPENDS = 20;
    /** Low enough that the 640 steps (~130 KB) cross it about an eighth of the way through. */
    private static final long THRESHOLD = 16_384;

    @Test
    void thirtyTwoWritersTimesTwentyAppendsGiveExactly640Steps(EmbeddedAws aws) throws Exception {
        String id = newJobId("concurrent");
        store(aws, THRESHOLD).createIfAbsent(id, Map.of());
        ExecutorService pool = Executors.newFixedThreadPool(WRITERS);
        CountDownLatch start = new CountDownLatch(1);
        List<Future<List<String>>> results = new ArrayList<>();
        for (int w = 0; w < WRITERS; w++) {
            int writer = w;
            // each writer its own store (as separate Lambda environments would have)
            JobStore store = store(aws, THRESHOLD);
            results.add(pool.submit(() -> {
                start.await();
                List<String> locations = new ArrayList<>();
                for (int a = 0; a < APPENDS; a++) {
                    JobStore.UpdateResult r = store.update(JobUpdate.builder(id)
                            .appendSteps(List.of(step("w" + writer + "-a" + a, 100))).build());
                    store.addCounters(id, Map.of("chunks_done", 1L));
                    locations.add(r.executionStepsLocation());
                }
                return locations;
            }));
        }
        start.countDown();
        Set<String> seen = new HashSet<>();
        for (Future<List<String>> f : results) {
            seen.addAll(f.get(5, TimeUnit.MINUTES));
        }
        pool.shutdown();

        assertEquals(Set.of("inline", "s3"), seen, "the test crossed the threshold");
        Map<String, Object> job = store(aws, THRESHOLD).read(id).orElseThrow();
        List<?> steps = (List<?>) job.get("execution_steps");
        assertEquals(WRITERS * APPENDS, steps.size());
        Set<Object> names = new HashSet<>();
        for (Object s : steps) {
            assertTrue(names.add(((Map<?, ?>) s).get("name")), "duplicated step " + s);
        }
        for (int w = 0; w < WRITERS; w++) {
            int last = -1;
            for (Object s : steps) {
                String name = (String) ((Map<?, ?>) s).get("name");
                if (name.startsWith("w" + w + "-")) {
                    int a = Integer.parseInt(name.substring(name.indexOf("-a") + 2));
                    assertTrue(a > last, "writer " + w + "'s appends keep their order");
                    last = a;
                }
            }
        }
        assertEquals(640L, job.get("chunks_done"));
        assertEquals(1L + WRITERS * APPENDS, job.get("version"));
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals("640", item.get("execution_steps_count").n());
        assertTrue(ItemSize.bytes(item) <= THRESHOLD);
        assertEquals(List.of(item.get("execution_steps_s3_key").s()), keysUnder(aws, "jobs/" + id + "/"),
                "losers deleted their orphans, winners their stale objects");
    }
}
