package dev.chunkflow.jobs.gc;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.e2e.TestData;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;

/** The scheduled handler on the sample EventBridge Scheduled Event (events/orphan-collector.json), in a bucket of its own. */
@ExtendWith(AwsExtension.class)
class OrphanCollectorHandlerTest {

    @Test
    void theScheduledEventDeletesOldOrphansAcrossTheWholePrefixAndKeepsLiveObjects(EmbeddedAws aws) throws IOException {
        AwsClients clients = ownBucket(aws);
        String bucket = clients.env().get("DATA_BUCKET").orElseThrow();
        Set<String> live = new HashSet<>();
        Set<String> orphans = new HashSet<>();
        for (String job : List.of("alpha", "Mid_1", "zeta-9")) {
            live.addAll(liveJob(clients, job, bucket));
            orphans.add(plant(aws, bucket, "jobs/" + job + "/execution_steps/v7-0123456789ab.json"));
        }
        // two hours on: every orphan is past the default one-hour grace
        OrphanCollectorHandler handler = new OrphanCollectorHandler(clients, Clock.offset(Clock.systemUTC(), Duration.ofHours(2)));

        JsonNode report = Json.readTree(TestData.invoke(handler, Files.readAllBytes(Path.of("..", "events", "orphan-collector.json"))));

        assertFalse(report.get("dry_run").asBoolean());
        assertTrue(report.get("complete").asBoolean(), report.toString());
        assertEquals(live.size() + orphans.size(), report.get("listed").asInt(), "from a random point round to it: every key once");
        assertEquals(orphans, strings(report.get("deleted")));
        assertEquals(live.size(), report.get("referenced").asInt());
        assertEquals(live, keys(aws, bucket));
    }

    @Test
    void aManualInvocationMayAskForADryRunWithoutGrace(EmbeddedAws aws) {
        AwsClients clients = ownBucket(aws);
        String bucket = clients.env().get("DATA_BUCKET").orElseThrow();
        Set<String> live = liveJob(clients, "manual", bucket);
        String orphan = plant(aws, bucket, "jobs/manual/notes/v1-0123456789ab.json");
        OrphanCollectorHandler handler = new OrphanCollectorHandler(clients);

        JsonNode young = Json.readTree(TestData.invoke(handler, "{\"dry_run\": true}"));
        assertEquals(1, young.get("young").asInt(), "just written: inside the default grace");
        assertEquals(0, young.get("would_delete_count").asInt());

        JsonNode dry = Json.readTree(TestData.invoke(handler, "{\"dry_run\": true, \"grace_seconds\": 0, \"job_id\": \"manual\"}"));
        assertEquals(Set.of(orphan), strings(dry.get("would_delete")));
        Set<String> all = new HashSet<>(live);
        all.add(orphan);
        assertEquals(all, keys(aws, bucket), "a dry run deletes nothing");
    }

    @Test
    void badOverridesAreInvalidInputNamingTheField(EmbeddedAws aws) {
        OrphanCollectorHandler handler = new OrphanCollectorHandler(ownBucket(aws));
        assertEquals("dry_run", assertThrows(InvalidInput.class, () -> TestData.invoke(handler, "{\"dry_run\": \"yes\"}")).field());
        assertEquals("grace_seconds", assertThrows(InvalidInput.class, () -> TestData.invoke(handler, "{\"grace_seconds\": -1}")).field());
        assertEquals("start_after", assertThrows(InvalidInput.class, () -> TestData.invoke(handler, "{\"start_after\": \"runs/x\"}")).field());
        assertEquals("job_id", assertThrows(InvalidInput.class, () -> TestData.invoke(handler, "{\"job_id\": \"../x\"}")).field());
        assertEquals("$", assertThrows(InvalidInput.class, () -> TestData.invoke(handler, "[]")).field());
    }

    private static AwsClients ownBucket(EmbeddedAws aws) {
        String bucket = "gc-" + UUID.randomUUID().toString().substring(0, 8);
        EmbeddedAws.createBucket(aws.s3(), bucket);
        return new AwsClients(aws.env().with("DATA_BUCKET", bucket).with("OFFLOAD_THRESHOLD_BYTES", "16384"));
    }

    private static Set<String> liveJob(AwsClients clients, String jobId, String bucket) {
        JobStore store = JobStore.fromEnv(clients);
        store.createIfAbsent(jobId, java.util.Map.of("notes", "n".repeat(20_000)));
        store.update(JobUpdate.builder(jobId).status("RUNNING").build());
        Set<String> keys = store.get(jobId).orElseThrow().objectKeys(bucket);
        assertEquals(1, keys.size());
        return keys;
    }

    private static String plant(EmbeddedAws aws, String bucket, String key) {
        aws.s3().putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString("[]"));
        return key;
    }

    private static Set<String> keys(EmbeddedAws aws, String bucket) {
        Set<String> keys = new HashSet<>();
        aws.s3().listObjectsV2Paginator(b -> b.bucket(bucket)).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }

    private static Set<String> strings(JsonNode array) {
        Set<String> out = new HashSet<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
