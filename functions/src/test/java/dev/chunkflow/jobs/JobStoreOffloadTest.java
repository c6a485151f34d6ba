package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.offload.JsonObjects;
import dev.chunkflow.offload.S3Reference;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;

@ExtendWith(AwsExtension.class)
class JobStoreOffloadTest {
    private static final long THRESHOLD = JobStore.DEFAULT_OFFLOAD_THRESHOLD_BYTES;

    /** Large steps go to S3 (gzip, Content-Encoding gzip), the item stays under the threshold. */
    @ParameterizedTest
    @ValueSource(ints = {350_000, 1_000_000, 5_000_000})
    void largeStepsAreOffloadedWithTheFullDataInS3(int bytes, EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("large" + bytes);
        store.createIfAbsent(id, Map.of());
        List<Map<String, Object>> big = steps("step", 50, bytes);
        JobStore.UpdateResult r = store.update(JobUpdate.builder(id).status("RUNNING").appendSteps(big).build());

        assertEquals("s3", r.executionStepsLocation());
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertFalse(item.containsKey("execution_steps"), "execution_steps and its S3 key never coexist");
        assertTrue(ItemSize.bytes(item) <= THRESHOLD, "item " + ItemSize.bytes(item));
        assertEquals(ItemSize.bytes(item), r.itemBytes());
        String key = item.get("execution_steps_s3_key").s();
        assertEquals("50", item.get("execution_steps_count").n());
        byte[] json = json(big).getBytes(StandardCharsets.UTF_8);
        assertEquals(Integer.toString(json.length), item.get("execution_steps_bytes").n());
        List<AttributeValue> preview = item.get("execution_steps_preview").l();
        assertEquals(5, preview.size());
        assertEquals("step0", preview.get(0).m().get("name").s());
        assertTrue(preview.get(0).m().get("output").s().length() <= 203, "output cut to a short prefix");

        HeadObjectResponse head = aws.s3().headObject(b -> b.bucket(aws.bucket()).key(key));
        assertEquals("gzip", head.contentEncoding());
        assertEquals("application/json", head.contentType());
        assertTrue(head.contentLength() < json.length, "stored compressed");
        assertEquals(json(big), json(stepsInObject(aws, key)));
        assertEquals(json(big), json(store.read(id).orElseThrow().get("execution_steps")));
    }

    /** Large then small: the stale key is REMOVEd in the same write and the old object deleted. */
    @Test
    void largeThenSmallRemovesStaleKeyAndDeletesOldObject(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("large-small");
        store.update(JobUpdate.builder(id).setSteps(steps("big", 10, 400_000)).build());
        String oldKey = rawItem(aws, id).get("execution_steps_s3_key").s();
        assertTrue(objectBytes(aws, oldKey).isPresent());

        JobStore.UpdateResult r = store.update(JobUpdate.builder(id).setSteps(steps("small", 2, 2_000)).build());
        assertEquals("inline", r.executionStepsLocation());
        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals(2, item.get("execution_steps").l().size());
        for (String pointer : JobItem.STEPS_POINTER) {
            assertFalse(item.containsKey(pointer), pointer + " removed");
        }
        assertTrue(objectBytes(aws, oldKey).isEmpty(), "old object deleted");
        assertTrue(keysUnder(aws, "jobs/" + id + "/").isEmpty());
    }

    /** The route follows the exact item size: threshold inline, threshold + 1 offloaded; 250/310/350 KB. */
    @Test
    void sizesAroundTheThresholdRouteByExactSize(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("threshold");
        store.createIfAbsent(id, Map.of());
        int base = 1_000;
        long s0 = store.update(JobUpdate.builder(id).setSteps(List.of(step("only", base))).build()).itemBytes();
        assertEquals(ItemSize.bytes(rawItem(aws, id)), s0);

        int exact = (int) (base + THRESHOLD - s0);
        JobStore.UpdateResult atThreshold = store.update(JobUpdate.builder(id).setSteps(List.of(step("only", exact))).build());
        assertEquals("inline", atThreshold.executionStepsLocation());
        assertEquals(THRESHOLD, atThreshold.itemBytes());
        assertEquals(THRESHOLD, ItemSize.bytes(rawItem(aws, id)));

        JobStore.UpdateResult over = store.update(JobUpdate.builder(id).setSteps(List.of(step("only", exact + 1))).build());
        assertEquals("s3", over.executionStepsLocation());
        assertTrue(over.itemBytes() < 10_000);

        for (int kb : new int[] {250, 310, 350}) {
            JobStore.UpdateResult r = store.update(JobUpdate.builder(id).setSteps(steps("kb" + kb, 10, kb * 1024)).build());
            assertEquals(kb * 1024 + 1_000 > THRESHOLD ? "s3" : "inline", r.executionStepsLocation(), kb + " KB");
        }
        assertEquals(1, keysUnder(aws, "jobs/" + id + "/").size(), "only the current object is left");
    }

    /** An item written by the old inline form (no version; steps as a list or a JSON string). */
    @Test
    void itemsOfTheOldInlineFormAreReadAndUpdated(EmbeddedAws aws) {
        JobStore store = store(aws);
        List<Map<String, Object>> old = steps("old", 3, 300);
        String listId = newJobId("legacy-list");
        String stringId = newJobId("legacy-string");
        aws.dynamoDb().putItem(b -> b.tableName(aws.table()).item(Map.of(
                "job_id", AttributeValue.fromS(listId), "status", AttributeValue.fromS("RUNNING"),
                "execution_steps", dev.chunkflow.offload.AttributeValues.toAttribute(old, "x"))));
        aws.dynamoDb().putItem(b -> b.tableName(aws.table()).item(Map.of(
                "job_id", AttributeValue.fromS(stringId), "status", AttributeValue.fromS("RUNNING"),
                "execution_steps", AttributeValue.fromS(json(old)))));
        for (String id : List.of(listId, stringId)) {
            Map<String, Object> job = store.read(id).orElseThrow();
            assertEquals(json(old), json(job.get("execution_steps")), id);
            assertEquals("inline", job.get("execution_steps_location"));

            JobStore.UpdateResult r = store.update(JobUpdate.builder(id).appendSteps(List.of(step("new", 10))).build());
            assertEquals(1, r.version());
            Map<String, AttributeValue> item = rawItem(aws, id);
            assertEquals(AttributeValue.Type.L, item.get("execution_steps").type());
            assertEquals(4, item.get("execution_steps").l().size());
            assertEquals("RUNNING", item.get("status").s());
        }
    }

    /** Empty list, nulls, more than 1 MB, and repeated transitions between inline and S3. */
    @Test
    void emptyNullsHugeAndRepeatedTransitions(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("transitions");
        JobStore.UpdateResult empty = store.update(JobUpdate.builder(id).setSteps(List.of()).build());
        assertEquals("inline", empty.executionStepsLocation());
        assertEquals(0, rawItem(aws, id).get("execution_steps").l().size());

        Map<String, Object> withNulls = new LinkedHashMap<>();
        withNulls.put("name", "nulls");
        withNulls.put("output", null);
        withNulls.put("error", null);
        withNulls.put("nested", new HashMap<>(Map.of("list", Arrays.asList(1, null, "x"))));
        store.update(JobUpdate.builder(id).appendSteps(List.of(withNulls)).build());
        assertEquals(json(List.of(withNulls)), json(store.read(id).orElseThrow().get("execution_steps")));

        List<Map<String, Object>> expected = new ArrayList<>(List.of(withNulls));
        for (int round = 0; round < 3; round++) {
            List<Map<String, Object>> huge = steps("huge" + round, 20, 1_200_000);
            assertEquals("s3", store.update(JobUpdate.builder(id).appendSteps(huge).build()).executionStepsLocation());
            expected.addAll(huge);
            assertEquals(json(expected), json(store.read(id).orElseThrow().get("execution_steps")));
            assertEquals(1, keysUnder(aws, "jobs/" + id + "/").size());

            List<Map<String, Object>> small = List.of(step("small" + round, 100));
            assertEquals("inline", store.update(JobUpdate.builder(id).setSteps(small).build()).executionStepsLocation());
            expected = new ArrayList<>(small);
            assertEquals(json(expected), json(store.read(id).orElseThrow().get("execution_steps")));
            assertTrue(keysUnder(aws, "jobs/" + id + "/").isEmpty());
            assertFalse(rawItem(aws, id).containsKey("execution_steps_s3_key"));
        }
    }

    /** Any other attribute too large for the item becomes an s3_reference; readers resolve it. */
    @Test
    void largeAttributesBecomeS3ReferencesAndResolveTransparently(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("artifacts");
        Map<String, Object> artifacts = new LinkedHashMap<>();
        artifacts.put("report_html", "<html>" + "r".repeat(380_000) + "</html>");
        artifacts.put("files", List.of("output/a.jsonl.gz", "output/b.jsonl.gz"));
        store.createIfAbsent(id, Map.of("artifacts", artifacts, "note", "small"));

        Map<String, AttributeValue> item = rawItem(aws, id);
        S3Reference ref = S3Reference.from(item.get("artifacts")).orElseThrow();
        assertEquals(aws.bucket(), ref.bucket());
        assertTrue(ref.key().startsWith("jobs/" + id + "/artifacts/v1-"), ref.key());
        assertEquals("M", ref.originalType());
        assertEquals("application/json", ref.contentType());
        byte[] doc = json(artifacts).getBytes(StandardCharsets.UTF_8);
        assertEquals(doc.length, ref.size());
        assertEquals(JsonObjects.sha256(doc), ref.sha256());
        assertEquals("small", item.get("note").s());
        assertTrue(ItemSize.bytes(item) < 2_000);
        assertEquals(json(artifacts), json(store.read(id).orElseThrow().get("artifacts")));

        store.update(JobUpdate.builder(id).fields(Map.of("artifacts", Map.of("files", List.of()))).build());
        assertEquals(AttributeValue.Type.M, rawItem(aws, id).get("artifacts").type());
        assertFalse(S3Reference.from(rawItem(aws, id).get("artifacts")).isPresent());
        assertTrue(objectBytes(aws, ref.key()).isEmpty(), "replaced reference's object deleted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "../etc/passwd", "a/b", "job id", "jöb", "x123456789x123456789x123456789x123456789x123456789x123456789x123456789x1234567890"})
    void jobIdIsValidatedBeforeAnyUse(String bad, EmbeddedAws aws) {
        JobStore store = store(aws);
        InvalidInput e = assertThrows(InvalidInput.class, () -> store.update(JobUpdate.builder(bad).status("RUNNING").build()));
        assertEquals("job_id", e.field());
        assertThrows(InvalidInput.class, () -> store.createIfAbsent(bad, Map.of()));
        assertThrows(InvalidInput.class, () -> store.addCounters(bad, Map.of("rows_in", 1L)));
        assertThrows(InvalidInput.class, () -> store.get(bad));
    }

    @Test
    void invalidUpdatesNameTheField(EmbeddedAws aws) {
        JobStore store = store(aws);
        String id = newJobId("invalid");
        assertEquals("status", assertThrows(InvalidInput.class,
                () -> store.update(JobUpdate.builder(id).status("DONE").build())).field());
        assertEquals("fields.version", assertThrows(InvalidInput.class,
                () -> store.update(JobUpdate.builder(id).fields(Map.of("version", 9)).build())).field());
        assertEquals("fields.x", assertThrows(InvalidInput.class, () -> store.update(JobUpdate.builder(id)
                .fields(Map.of("x", Map.of("type", "s3_reference", "bucket", "other", "key", "secret"))).build())).field());
        assertEquals("fields.bad/name", assertThrows(InvalidInput.class,
                () -> store.update(JobUpdate.builder(id).fields(Map.of("bad/name", 1)).build())).field());
        assertEquals("append_steps[0].n", assertThrows(InvalidInput.class, () -> store.update(JobUpdate.builder(id)
                .appendSteps(List.of(Map.of("n", new java.math.BigDecimal("1234567890123456789012345678901234567890")))).build())).field());
        assertTrue(rawItem(aws, id).isEmpty(), "nothing written");
    }

    /**
     * A writer that loses the version race deletes the object it wrote for the lost version, re-reads
     * and merges: both updates survive and only the winner's object remains. The race is forced by a
     * client that lets a competing update land just before our first conditional write.
     */
    @Test
    void losingWriterDeletesItsOrphanAndMergesItsAppend(EmbeddedAws aws) {
        JobStore plain = store(aws);
        String id = newJobId("orphan");
        plain.update(JobUpdate.builder(id).setSteps(steps("first", 10, 350_000)).build());

        AtomicBoolean raced = new AtomicBoolean();
        DynamoDbClient real = aws.dynamoDb();
        DynamoDbClient racing = (DynamoDbClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {DynamoDbClient.class}, (proxy, method, args) -> {
                    if (method.getName().equals("updateItem") && args[0] instanceof UpdateItemRequest
                            && raced.compareAndSet(false, true)) {
                        plain.update(JobUpdate.builder(id).appendSteps(List.of(step("competitor", 10))).build());
                    }
                    try {
                        return method.invoke(real, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
        JobStore loser = new JobStore(racing, new JsonObjects(aws.s3(), aws.clients().presigner(), aws.bucket()),
                aws.table(), THRESHOLD, JobStore.DEFAULT_MAX_ATTEMPTS);
        JobStore.UpdateResult r = loser.update(JobUpdate.builder(id).appendSteps(List.of(step("mine", 10))).build());

        assertTrue(raced.get());
        assertEquals(3, r.version(), "our v2 lost to the competitor's v2; the retry wrote v3");
        List<?> all = (List<?>) plain.read(id).orElseThrow().get("execution_steps");
        assertEquals(12, all.size());
        assertEquals("competitor", ((Map<?, ?>) all.get(10)).get("name"));
        assertEquals("mine", ((Map<?, ?>) all.get(11)).get("name"));
        List<String> keys = keysUnder(aws, "jobs/" + id + "/");
        assertEquals(List.of(rawItem(aws, id).get("execution_steps_s3_key").s()), keys, "no orphan left: " + keys);
    }

    /**
     * Appends to offloaded steps extend the object as bytes: the result is exactly what offloading the whole
     * list would store (object bytes, count, bytes, inline size, preview), whichever store wrote the previous
     * version, and the steps come back inline when a later write makes them fit.
     */
    @Test
    void appendToOffloadedStepsEqualsAFullRewrite(EmbeddedAws aws) {
        JobStore writer = store(aws);
        JobStore other = store(aws);
        String id = newJobId("append-in-place");
        List<Map<String, Object>> all = new ArrayList<>(steps("base", 40, 400_000));
        writer.update(JobUpdate.builder(id).status("RUNNING").setSteps(all).build());
        for (int i = 0; i < 4; i++) {
            List<Map<String, Object>> more = List.of(step("more" + i, 300 + i), step("unicode-é-" + i, 10));
            all.addAll(more);
            // alternate stores: one has the previous object cached, the other downloads it
            JobStore.UpdateResult r = (i % 2 == 0 ? writer : other).update(JobUpdate.builder(id).appendSteps(more)
                    .counters(Map.of("chunks_done", 1L)).build());
            assertEquals("s3", r.executionStepsLocation());
            Map<String, AttributeValue> item = rawItem(aws, id);
            String key = item.get("execution_steps_s3_key").s();
            byte[] expected = json(all).getBytes(StandardCharsets.UTF_8);
            assertEquals(new String(expected, StandardCharsets.UTF_8),
                    new String(gunzip(objectBytes(aws, key).orElseThrow()), StandardCharsets.UTF_8));
            assertEquals(Integer.toString(all.size()), item.get("execution_steps_count").n());
            assertEquals(Integer.toString(expected.length), item.get("execution_steps_bytes").n());
            long inline = ItemSize.value(AttributeValue.fromL(all.stream()
                    .map(m -> dev.chunkflow.offload.AttributeValues.toAttribute(m, "s")).toList()));
            assertEquals(Long.toString(inline), item.get("execution_steps_item_bytes").n());
            assertEquals(5, item.get("execution_steps_preview").l().size());
            assertEquals("base0", item.get("execution_steps_preview").l().get(0).m().get("name").s());
            assertEquals(ItemSize.bytes(item), r.itemBytes());
            assertEquals(List.of(key), keysUnder(aws, "jobs/" + id + "/"), "old object deleted");
            assertEquals(json(all), json(other.read(id).orElseThrow().get("execution_steps")));
        }
        // a store with a higher threshold: the appended steps fit inline, so they come back as values
        JobStore roomy = store(aws, 409_600);
        List<Map<String, Object>> small = List.of(step("x", 10));
        roomy.update(JobUpdate.builder(id).setSteps(steps("s", 6, 300_000)).build());
        JobStore.UpdateResult r = roomy.update(JobUpdate.builder(id).appendSteps(small).build());
        assertEquals("inline", r.executionStepsLocation());
        assertEquals(7, rawItem(aws, id).get("execution_steps").l().size());
        assertTrue(keysUnder(aws, "jobs/" + id + "/").isEmpty());
    }

    @Test
    void appendToArraySplicesBeforeTheClosingBracket() {
        List<AttributeValue> one = List.of(AttributeValue.fromM(Map.of("b", AttributeValue.fromN("1"), "a", AttributeValue.fromS("x"))));
        assertEquals("[{\"a\":\"x\",\"b\":1}]", new String(StepsOffloader.appendToArray("[]".getBytes(), one)));
        assertEquals("[{\"a\":\"x\",\"b\":1}]", new String(StepsOffloader.appendToArray(" [ \n] ".getBytes(), one)));
        assertEquals("[1,{\"a\":\"x\",\"b\":1}]", new String(StepsOffloader.appendToArray("[1]\n".getBytes(), one)));
        assertNull(StepsOffloader.appendToArray("{}".getBytes(), one));
        assertNull(StepsOffloader.appendToArray("".getBytes(), one));
    }
}
