package dev.chunkflow.jobs;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.offload.JsonValues;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * {@code execution_steps} in S3: loading them, moving them out of a draft, appending to them in place.
 * An offloaded item holds the pointer attributes ({@link JobItem#STEPS_POINTER}) instead of the list;
 * {@link #point} is the one place that writes them.
 */
final class StepsOffloader {
    private final OffloadObjects objects;
    /** The last steps document read or written, as values and as JSON bytes (for appends in place). */
    private final LastDocument<List<AttributeValue>> lastSteps = new LastDocument<>();
    private final LastDocument<byte[]> lastJson = new LastDocument<>();

    StepsOffloader(OffloadObjects objects) {
        this.objects = objects;
    }

    /** Current steps as attribute values; empty Optional only when the offloaded object is missing. */
    Optional<List<AttributeValue>> load(JobItem item) {
        AttributeValue inline = item.attributes().get(JobItem.STEPS);
        if (inline != null) {
            return Optional.of(switch (inline.type()) {
                case L -> inline.l();
                // the seeds' form: the steps as one JSON string
                case S -> toSteps(JsonValues.parse(inline.s().getBytes(StandardCharsets.UTF_8)), "legacy execution_steps");
                default -> List.of();
            });
        }
        Optional<String> key = item.stepsKey();
        if (key.isEmpty()) {
            return Optional.of(List.of());
        }
        List<AttributeValue> cached = lastSteps.get(key.get());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<byte[]> json = objects.get(key.get());
        if (json.isEmpty()) {
            Log.error("offloaded execution_steps object is missing", "job_id", item.jobId(), "key", key.get());
            return Optional.empty();
        }
        List<AttributeValue> steps = toSteps(JsonValues.parse(json.get()), key.get());
        remember(key.get(), steps, json.get());
        return Optional.of(steps);
    }

    /** Moves the draft's inline steps to a new object; returns its key. */
    String offload(String jobId, long version, WriteDraft d) {
        AttributeValue list = d.item.get(JobItem.STEPS);
        List<AttributeValue> steps = list.l();
        byte[] json = Json.bytes(AttributeValues.toObject(list));
        String key = OffloadKeys.key(jobId, JobItem.STEPS, version);
        objects.put(key, json);
        remember(key, steps, json);
        d.remove(JobItem.STEPS);
        point(d, key, steps.size(), json.length, ItemSize.value(list), StepsPreview.of(steps));
        return key;
    }

    /**
     * Appends to offloaded steps without turning them into values: the new object is the old JSON array with
     * the new steps' JSON spliced in before its closing bracket, byte for byte what serializing the whole
     * list would give (compact JSON, each map's keys sorted). Empty when the old object is missing or is
     * not a JSON array text (the caller then re-plans the general way, which handles both).
     */
    Optional<String> appendInPlace(String jobId, long version, WriteDraft d, OffloadedAppend a, List<AttributeValue> appended) {
        byte[] old = lastJson.get(a.oldKey());
        if (old == null) {
            Optional<byte[]> fetched = objects.get(a.oldKey());
            if (fetched.isEmpty()) {
                return Optional.empty();
            }
            old = fetched.get();
        }
        byte[] json = appendToArray(old, appended);
        if (json == null) {
            return Optional.empty();
        }
        String key = OffloadKeys.key(jobId, JobItem.STEPS, version);
        objects.put(key, json);
        if (json.length <= LastDocument.MAX_BYTES) {
            lastJson.put(key, json);
        }
        // the preview is of the first steps, which an append does not change
        point(d, key, a.count(), json.length, a.inlineBytes(), d.current.get(JobItem.STEPS_PREVIEW));
        return Optional.of(key);
    }

    /** The pointer attributes of offloaded steps, all set together. */
    private static void point(WriteDraft d, String key, long count, long jsonBytes, long inlineBytes, AttributeValue preview) {
        d.set(JobItem.STEPS_KEY, AttributeValue.fromS(key));
        d.set(JobItem.STEPS_COUNT, AttributeValue.fromN(Long.toString(count)));
        d.set(JobItem.STEPS_BYTES, AttributeValue.fromN(Long.toString(jsonBytes)));
        d.set(JobItem.STEPS_ITEM_BYTES, AttributeValue.fromN(Long.toString(inlineBytes)));
        d.set(JobItem.STEPS_PREVIEW, preview);
    }

    /** {@code array} (a JSON array text) with {@code steps} appended; null if it is not one. */
    static byte[] appendToArray(byte[] array, List<AttributeValue> steps) {
        int start = 0;
        int end = array.length - 1;
        while (start < array.length && isJsonSpace(array[start])) {
            start++;
        }
        while (end > start && isJsonSpace(array[end])) {
            end--;
        }
        if (end <= start || array[start] != '[' || array[end] != ']') {
            return null;
        }
        int last = end - 1;
        while (last > start && isJsonSpace(array[last])) {
            last--;
        }
        boolean empty = last == start;
        ByteArrayOutputStream out = new ByteArrayOutputStream(array.length + 1024 * steps.size() + 16);
        out.write(array, start, last + 1 - start);
        for (AttributeValue step : steps) {
            if (!empty) {
                out.write(',');
            }
            empty = false;
            out.writeBytes(Json.bytes(AttributeValues.toObject(step)));
        }
        out.write(']');
        return out.toByteArray();
    }

    private static boolean isJsonSpace(byte b) {
        return b == ' ' || b == '\n' || b == '\r' || b == '\t';
    }

    private void remember(String key, List<AttributeValue> steps, byte[] json) {
        if (json.length <= LastDocument.MAX_BYTES) {
            lastSteps.put(key, List.copyOf(steps));
            lastJson.put(key, json);
        }
    }

    private static List<AttributeValue> toSteps(Object parsed, String source) {
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalStateException(source + " does not hold a JSON array of steps");
        }
        return AttributeValues.toList(list, JobItem.STEPS);
    }

    /**
     * One document by key. Keys are never rewritten, so an entry can never be stale; it saves re-downloading
     * the steps on every retry of a contended append.
     */
    private static final class LastDocument<T> {
        static final long MAX_BYTES = 16L * 1024 * 1024;
        private String key;
        private T value;

        synchronized T get(String k) {
            return k.equals(key) ? value : null;
        }

        synchronized void put(String k, T v) {
            key = k;
            value = v;
        }
    }
}
