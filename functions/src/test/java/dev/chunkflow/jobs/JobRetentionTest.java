package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.settings.InvalidSetting;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** expires_at, the table's TTL attribute, from JOB_RETENTION_DAYS. */
@ExtendWith(AwsExtension.class)
class JobRetentionTest {

    @Test
    void everyVersionedWriteSetsExpiresAtRetentionDaysAhead(EmbeddedAws aws) {
        String id = newJobId("ttl");
        store(aws, "90").createIfAbsent(id, Map.of());
        assertExpiresIn(aws, id, Duration.ofDays(90));

        store(aws, "7").update(JobUpdate.builder(id).status("RUNNING").build());
        assertExpiresIn(aws, id, Duration.ofDays(7));
        assertTrue(new JobItem(rawItem(aws, id)).expired(Instant.now().plus(Duration.ofDays(8))));
        assertFalse(new JobItem(rawItem(aws, id)).expired(Instant.now().plus(Duration.ofDays(6))));
    }

    @Test
    void zeroDaysWritesNoExpiryAndRemovesAnOldOne(EmbeddedAws aws) {
        String id = newJobId("ttl0");
        store(aws, "30").createIfAbsent(id, Map.of());
        assertTrue(rawItem(aws, id).containsKey(JobItem.EXPIRES_AT));
        store(aws, "0").update(JobUpdate.builder(id).status("SUCCEEDED").build());
        assertFalse(rawItem(aws, id).containsKey(JobItem.EXPIRES_AT));
        assertFalse(new JobItem(rawItem(aws, id)).expired(Instant.now().plus(Duration.ofDays(100_000))));
    }

    @Test
    void expiresAtIsTheStoresAndRetentionIsBounded(EmbeddedAws aws) {
        String id = newJobId("ttlf");
        InvalidInput e = assertThrows(InvalidInput.class, () -> store(aws, "90").update(JobUpdate.builder(id)
                .fields(Map.of("expires_at", 1)).build()));
        assertEquals("fields.expires_at", e.field());
        assertThrows(InvalidSetting.class, () -> store(aws, "-1"));
        assertThrows(InvalidSetting.class, () -> store(aws, "3651"));
    }

    private static JobStore store(EmbeddedAws aws, String days) {
        return JobStore.fromEnv(new AwsClients(aws.env().with("JOB_RETENTION_DAYS", days)));
    }

    private static void assertExpiresIn(EmbeddedAws aws, String id, Duration d) {
        AttributeValue v = rawItem(aws, id).get(JobItem.EXPIRES_AT);
        assertNotNull(v, "expires_at");
        long expected = Instant.now().plus(d).getEpochSecond();
        assertTrue(Math.abs(Long.parseLong(v.n()) - expected) < 60, "expires_at " + v.n() + " vs " + expected);
    }
}
