package dev.chunkflow.jobs.gc;

import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.jobs.JobItem;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;
import dev.chunkflow.offload.JsonObjects;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.GetItemResponse;

/**
 * Orphans planted next to live objects, in the embedded S3 and DynamoDB Local. Objects cannot be made
 * older, so "older than the grace period" is a run whose {@code now} lies ahead of the clock.
 */
@ExtendWith(AwsExtension.class)
class OrphanCollectorTest {
    private static final Duration GRACE = Duration.ofHours(1);
    private static final Instant LATER = Instant.now().plus(Duration.ofHours(2));

    @Test
    void anOrphanOlderThanTheGraceIsDeletedAndEveryLiveObjectKept(EmbeddedAws aws) {
        Live job = liveJob(aws, "gc-live");
        String orphan = plant(aws, job.id, "execution_steps/v9-deadbeef0001.json");
        String orphanField = plant(aws, job.id, "notes/v3-deadbeef0002.json");

        GcReport r = collector(aws).collect(GcRequest.of(LATER, GRACE, false).forJob(job.id));

        assertEquals(Set.of(orphan, orphanField), new HashSet<>(r.deleted()));
        assertEquals(job.keys.size(), r.referenced());
        assertTrue(r.complete());
        assertEquals(List.of(), r.goneJobs());
        assertEquals(job.keys, new HashSet<>(keysUnder(aws, job.id)), "exactly the live objects remain");
        Map<String, Object> read = store(aws, 90).read(job.id).orElseThrow();
        assertEquals(12, ((List<?>) read.get("execution_steps")).size(), "the offloaded steps still resolve");
        assertEquals("n".repeat(20_000), read.get("notes"), "the offloaded field still resolves");
    }

    @Test
    void aYoungOrphanIsKept(EmbeddedAws aws) {
        Live job = liveJob(aws, "gc-young");
        String orphan = plant(aws, job.id, "execution_steps/v9-deadbeef0003.json");

        GcReport r = collector(aws).collect(GcRequest.of(Instant.now(), GRACE, false).forJob(job.id));

        assertEquals(List.of(), r.deleted());
        assertEquals(1, r.young());
        assertTrue(keysUnder(aws, job.id).contains(orphan));
    }

    @Test
    void aDryRunReportsTheOrphanAndDeletesNothing(EmbeddedAws aws) {
        Live job = liveJob(aws, "gc-dry");
        String orphan = plant(aws, job.id, "execution_steps/v9-deadbeef0004.json");

        GcReport r = collector(aws).collect(GcRequest.of(LATER, GRACE, true).forJob(job.id));

        assertEquals(List.of(orphan), r.deleted());
        assertTrue(r.dryRun());
        assertEquals(true, r.toJson().get("dry_run"));
        assertEquals(List.of(orphan), r.toJson().get("would_delete"));
        Set<String> all = new HashSet<>(job.keys);
        all.add(orphan);
        assertEquals(all, new HashSet<>(keysUnder(aws, job.id)));
    }

    @Test
    void boundedRunsContinueWhereTheLastStoppedUntilAllOrphansAreGone(EmbeddedAws aws) {
        String prefix = "gcb" + UUID.randomUUID().toString().substring(0, 8) + "-";
        Set<String> orphans = new HashSet<>();
        Set<String> live = new HashSet<>();
        for (int j = 0; j < 3; j++) {
            Live job = liveJob(aws, prefix + j);
            live.addAll(job.keys);
            for (int k = 0; k < 3; k++) {
                orphans.add(plant(aws, job.id, "execution_steps/v9-orphan0000" + k + ".json"));
            }
        }
        GcRequest base = GcRequest.of(LATER, GRACE, false).withJobIdPrefix(prefix);
        OrphanCollector collector = collector(aws);

        // at most 2 deletes per run
        List<String> deleted = new ArrayList<>();
        GcReport r = collector.collect(base.withBounds(1_000, 2));
        int runs = 1;
        deleted.addAll(r.deleted());
        assertEquals(2, r.deleted().size());
        assertFalse(r.complete());
        while (!r.complete()) {
            r = collector.collect(base.withBounds(1_000, 2).withStartAfter(r.nextStartAfter()));
            deleted.addAll(r.deleted());
            assertTrue(r.deleted().size() <= 2);
            assertTrue(++runs < 20, "runs make progress");
        }
        assertEquals(orphans, new HashSet<>(deleted));
        assertEquals(deleted.size(), new HashSet<>(deleted).size(), "nothing deleted twice");
        assertEquals(live, new HashSet<>(keysUnder(aws, prefix)));
        assertEquals(5, runs, "9 orphans, 2 per run");

        // at most 4 keys listed per run: plant again and sweep by listing bound
        for (String o : orphans) {
            aws.s3().putObject(b -> b.bucket(aws.bucket()).key(o), RequestBody.fromString("[]"));
        }
        Set<String> swept = new HashSet<>();
        GcReport listedRun = collector.collect(base.withBounds(4, 1_000));
        assertEquals(4, listedRun.listed());
        swept.addAll(listedRun.deleted());
        int listRuns = 1;
        while (!listedRun.complete()) {
            listedRun = collector.collect(base.withBounds(4, 1_000).withStartAfter(listedRun.nextStartAfter()));
            assertTrue(listedRun.listed() <= 4);
            swept.addAll(listedRun.deleted());
            assertTrue(++listRuns < 20);
        }
        assertEquals(orphans, swept);
        assertEquals(live, new HashSet<>(keysUnder(aws, prefix)));
    }

    @Test
    void anExpiredItemsObjectsAreCollectedAndAGoneItemsToo(EmbeddedAws aws) {
        Live expiring = liveJob(aws, "gc-ttl", 1);
        Live deleted = liveJob(aws, "gc-del");
        aws.dynamoDb().deleteItem(b -> b.tableName(aws.table()).key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(deleted.id))));
        long expiresAt = Long.parseLong(rawItem(aws, expiring.id).get(JobItem.EXPIRES_AT).n());
        assertTrue(Math.abs(expiresAt - Instant.now().plus(Duration.ofDays(1)).getEpochSecond()) < 60, "expires_at = now + 1 day");

        OrphanCollector collector = collector(aws);
        // a day and a half later: the 1-day item is past its TTL (DynamoDB Local does not delete it)
        Instant now = Instant.now().plus(Duration.ofHours(36));
        GcReport ttl = collector.collect(GcRequest.of(now, GRACE, false).forJob(expiring.id));
        GcReport gone = collector.collect(GcRequest.of(now, GRACE, false).forJob(deleted.id));

        assertEquals(expiring.keys, new HashSet<>(ttl.deleted()));
        assertEquals(List.of(expiring.id), ttl.goneJobs());
        assertEquals(deleted.keys, new HashSet<>(gone.deleted()));
        assertEquals(List.of(), keysUnder(aws, expiring.id));
        assertEquals(List.of(), keysUnder(aws, deleted.id));

        // before its TTL the same item's objects are live
        Live fresh = liveJob(aws, "gc-ttl-fresh", 1);
        GcReport early = collector.collect(GcRequest.of(LATER, GRACE, false).forJob(fresh.id));
        assertEquals(List.of(), early.deleted());
        assertEquals(fresh.keys.size(), early.referenced());
    }

    @Test
    void keysThatAreNotAJobsObjectsAreLeftAlone(EmbeddedAws aws) {
        String prefix = "gcs" + UUID.randomUUID().toString().substring(0, 8);
        String stray = "jobs/" + prefix;
        String badId = "jobs/" + prefix + "!x/file.json";
        for (String k : List.of(stray, badId)) {
            aws.s3().putObject(b -> b.bucket(aws.bucket()).key(k), RequestBody.fromString("x"));
        }
        GcReport r = collector(aws).collect(GcRequest.of(LATER, GRACE, false).withJobIdPrefix(prefix));
        assertEquals(List.of(), r.deleted());
        assertEquals(Set.of(stray, badId), new HashSet<>(r.skipped()));
        assertEquals(2, r.skippedCount());
        assertEquals(2, r.toJson().get("skipped_count"));
        assertEquals(Set.of(stray, badId), new HashSet<>(keysUnder(aws, prefix)));
    }

    @Test
    void aWriterThatDiesBetweenItsPutAndItsUpdateItemLeavesAnOrphanTheCollectorDeletes(EmbeddedAws aws) {
        Live job = liveJob(aws, "gc-crash");
        // the UpdateItem times out after the store wrote the new steps object: outcome unknown, objects kept
        DynamoDbClient dying = faulty(aws.dynamoDb(), "updateItem", () -> {
            throw DynamoDbException.builder().statusCode(500).message("injected: connection reset before the UpdateItem").build();
        });
        JobStore crashing = new JobStore(dying, new JsonObjects(aws.s3(), aws.clients().presigner(), aws.bucket()),
                aws.table(), 16_384, 90, 1);
        assertThrows(DynamoDbException.class, () -> crashing.update(JobUpdate.builder(job.id)
                .appendSteps(List.of(Map.of("name", "lost", "output", "x".repeat(100)))).build()));
        Set<String> after = new HashSet<>(keysUnder(aws, job.id));
        after.removeAll(job.keys);
        assertEquals(1, after.size(), "the dead writer's new steps object is an orphan: " + after);

        GcReport young = collector(aws).collect(GcRequest.of(Instant.now(), GRACE, false).forJob(job.id));
        assertEquals(List.of(), young.deleted(), "inside the grace it may still be about to be referenced");
        GcReport r = collector(aws).collect(GcRequest.of(LATER, GRACE, false).forJob(job.id));
        assertEquals(after, new HashSet<>(r.deleted()));
        assertEquals(job.keys, new HashSet<>(keysUnder(aws, job.id)));
        assertEquals(12, ((List<?>) store(aws, 90).read(job.id).orElseThrow().get("execution_steps")).size());
    }

    @Test
    void anObjectAVersionPointsToByTheTimeOfTheDeleteIsKept(EmbeddedAws aws) {
        Live job = liveJob(aws, "gc-race");
        // the first read sees no item (as if read before the job existed); the re-read before deleting sees it
        AtomicInteger reads = new AtomicInteger();
        DynamoDbClient stale = faulty(aws.dynamoDb(), "getItem", () -> reads.incrementAndGet() == 1
                ? GetItemResponse.builder().item(Map.of()).build() : null);
        OrphanCollector collector = new OrphanCollector(aws.s3(), stale, aws.bucket(), aws.table());

        GcReport r = collector.collect(GcRequest.of(LATER, GRACE, false).forJob(job.id));

        assertEquals(2, reads.get(), "read, then read again before deleting");
        assertEquals(List.of(), r.deleted());
        assertEquals(job.keys.size(), r.referenced());
        assertEquals(job.keys, new HashSet<>(keysUnder(aws, job.id)));
    }

    /**
     * {@code real}, except that {@code method} first asks {@code fault}: a non-null answer is returned
     * instead of calling the service, and what it throws is thrown.
     */
    static DynamoDbClient faulty(DynamoDbClient real, String method, Supplier<Object> fault) {
        return (DynamoDbClient) Proxy.newProxyInstance(OrphanCollectorTest.class.getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method)) {
                        Object answer = fault.get();
                        if (answer != null) {
                            return answer;
                        }
                    }
                    try {
                        return m.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    // ---------------------------------------------------------------- helpers

    /** A job whose steps and one field are offloaded: the keys its current version points to. */
    record Live(String id, Set<String> keys) {
    }

    static Live liveJob(EmbeddedAws aws, String prefix) {
        return liveJob(aws, prefix, 90);
    }

    static Live liveJob(EmbeddedAws aws, String prefix, long retentionDays) {
        String id = prefix.contains("-") && prefix.length() > 12 ? prefix : prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
        JobStore store = store(aws, retentionDays);
        store.createIfAbsent(id, Map.of("notes", "n".repeat(20_000)));
        List<Map<String, Object>> steps = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Map<String, Object> s = new LinkedHashMap<>();
            s.put("name", "step" + i);
            s.put("output", "o".repeat(2_000));
            steps.add(s);
        }
        store.update(JobUpdate.builder(id).status("RUNNING").appendSteps(steps).build());
        Set<String> keys = new JobItem(rawItem(aws, id)).objectKeys(aws.bucket());
        assertEquals(2, keys.size(), "steps and notes offloaded: " + keys);
        return new Live(id, keys);
    }

    static JobStore store(EmbeddedAws aws, long retentionDays) {
        return JobStore.fromEnv(new AwsClients(aws.env().with("OFFLOAD_THRESHOLD_BYTES", "16384")
                .with("JOB_RETENTION_DAYS", Long.toString(retentionDays))));
    }

    static OrphanCollector collector(EmbeddedAws aws) {
        return OrphanCollector.fromEnv(aws.clients());
    }

    static String plant(EmbeddedAws aws, String jobId, String rest) {
        String key = "jobs/" + jobId + "/" + rest;
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("[]"));
        return key;
    }

    static List<String> keysUnder(EmbeddedAws aws, String jobIdPrefix) {
        List<String> keys = new ArrayList<>();
        aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix("jobs/" + jobIdPrefix))
                .contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    static Map<String, AttributeValue> rawItem(EmbeddedAws aws, String jobId) {
        return aws.dynamoDb().getItem(b -> b.tableName(aws.table()).consistentRead(true)
                .key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))).item();
    }
}
