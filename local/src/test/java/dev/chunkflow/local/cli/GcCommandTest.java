package dev.chunkflow.local.cli;

import static dev.chunkflow.local.cli.CliRun.REPO;
import static dev.chunkflow.local.cli.CliRun.cli;
import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.cli.CliRun.Result;
import dev.chunkflow.local.run.LocalApp;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code chunkflow gc} on a state dir with a live job, an orphan next to its objects and a job whose
 * TTL has passed: through OrphanCollectorFunction under its template role (IAM enforced).
 */
class GcCommandTest {

    @Test
    void gcExpiresItemsAndDeletesOnlyOldUnreferencedObjects(@TempDir Path state, @TempDir Path tmp) throws Exception {
        for (String job : List.of("gc-live", "gc-old")) {
            Result r = cli("--state-dir", state.toString(), "invoke", "UpdateJobFunction", "-e", bigSteps(tmp, job).toString());
            assertEquals(0, r.exit(), r.err());
            assertEquals("s3", Json.readTree(r.out().getBytes()).path("execution_steps_location").asText(), r.out());
        }
        String orphan = "jobs/gc-live/execution_steps/v99-0123456789ab.json";
        Set<String> before;
        try (LocalApp app = LocalApp.start(REPO, state, Map.of(), Map.of(), 0, 0, null)) {
            app.aws().s3().putObject(b -> b.bucket(app.bucket()).key(orphan), RequestBody.fromString("[]"));
            // gc-old's TTL passed long ago (DynamoDB Local keeps such an item)
            app.aws().dynamoDb().updateItem(b -> b.tableName(app.table()).key(Map.of("job_id", AttributeValue.fromS("gc-old")))
                    .updateExpression("SET expires_at = :t").expressionAttributeValues(Map.of(":t", AttributeValue.fromN("1000"))));
            before = keys(app);
        }
        assertEquals(3, before.size(), before.toString());
        String liveKey = before.stream().filter(k -> k.startsWith("jobs/gc-live/") && !k.equals(orphan)).findFirst().orElseThrow();
        String oldKey = before.stream().filter(k -> k.startsWith("jobs/gc-old/")).findFirst().orElseThrow();

        Result dry = cli("--state-dir", state.toString(), "gc", "--dry-run", "--grace", "0s");
        assertEquals(0, dry.exit(), dry.err());
        assertTrue(dry.out().contains("would expire job gc-old"), dry.out());
        assertTrue(dry.out().contains("would delete " + orphan), dry.out());
        assertTrue(dry.out().contains("would delete " + oldKey), dry.out());
        assertFalse(dry.out().contains(liveKey), dry.out());
        assertTrue(dry.out().contains("dry run: 1 expired job item(s); 3 object(s) listed under jobs/: 1 referenced, 0 younger than 0s,"
                + " 0 not the job store's, 2 would be deleted"), dry.out());
        assertEquals(before, keysNow(state), "a dry run deletes nothing");

        Result graceful = cli("--state-dir", state.toString(), "gc");
        assertEquals(0, graceful.exit(), graceful.err());
        assertTrue(graceful.out().contains("expired job gc-old"), graceful.out());
        assertTrue(graceful.out().contains("1 referenced, 2 younger than 1h"), graceful.out());
        assertEquals(before, keysNow(state), "inside the grace period nothing is deleted");

        Result gc = cli("--state-dir", state.toString(), "gc", "--grace", "0s");
        assertEquals(0, gc.exit(), gc.err());
        assertTrue(gc.out().contains("deleted " + orphan), gc.out());
        assertTrue(gc.out().contains("deleted " + oldKey), gc.out());
        assertEquals(Set.of(liveKey), keysNow(state));

        Result get = cli("--state-dir", state.toString(), "jobs", "get", "gc-live", "--include", "execution_steps");
        assertEquals(0, get.exit(), get.err());
        assertEquals(40, Json.readTree(get.out().getBytes()).path("execution_steps").size(), "the live job still reads in full");
        assertEquals(1, cli("--state-dir", state.toString(), "jobs", "get", "gc-old").exit(), "the expired item is gone");

        Result bad = cli("--state-dir", state.toString(), "gc", "--grace", "soon");
        assertEquals(2, bad.exit());
        assertTrue(bad.err().contains("--grace"), bad.err());
    }

    private static Path bigSteps(Path dir, String jobId) throws Exception {
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("job_id", jobId).put("status", "RUNNING");
        ArrayNode steps = event.putArray("append_steps");
        for (int i = 0; i < 40; i++) {
            steps.addObject().put("name", "step" + i).put("status", "SUCCEEDED").put("output", "o".repeat(10_000));
        }
        Path file = dir.resolve(jobId + ".json");
        Files.write(file, Json.bytes(event));
        return file;
    }

    private static Set<String> keysNow(Path state) throws Exception {
        try (LocalApp app = LocalApp.start(REPO, state, Map.of(), Map.of(), 0, 0, null)) {
            return keys(app);
        }
    }

    private static Set<String> keys(LocalApp app) {
        Set<String> keys = new TreeSet<>();
        app.aws().s3().listObjectsV2Paginator(b -> b.bucket(app.bucket()).prefix("jobs/")).contents().forEach(o -> keys.add(o.key()));
        return keys;
    }
}
