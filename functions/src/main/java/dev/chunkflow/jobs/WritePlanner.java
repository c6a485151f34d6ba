package dev.chunkflow.jobs;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.chunkflow.common.Json;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.offload.JsonObjects;
import dev.chunkflow.offload.S3Reference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Plans one versioned write: the whole item it will leave behind, measured exactly ({@link ItemSize});
 * while that is above the offload threshold, the largest movable attribute goes to a new S3 object
 * ({@code execution_steps} through {@link StepsOffloader}, any other attribute as an {@link S3Reference}).
 * The objects are written here, before the UpdateItem that will point to them; {@link #dryRun} runs the
 * same rule writing nothing.
 */
final class WritePlanner {
    /** Moving a value smaller than this to S3 would not shrink the item (a reference is ~300 bytes). */
    private static final long MIN_OFFLOAD_VALUE_BYTES = 1024;

    private final OffloadObjects objects;
    private final StepsOffloader steps;
    private final long threshold;
    private final long retentionSeconds;

    /** @param retentionDays days an item lives after a write ({@code expires_at}); 0: no expiry */
    WritePlanner(OffloadObjects objects, StepsOffloader steps, long threshold, long retentionDays) {
        this.objects = objects;
        this.steps = steps;
        this.threshold = threshold;
        this.retentionSeconds = retentionDays * 86_400;
    }

    /** A planned write: the draft, the objects written for it, those it leaves unreferenced once committed. */
    record Planned(JobItem before, WriteDraft draft, long version, String status, String stepsLocation, long itemBytes,
                   List<String> written, List<String> stale, List<String> offloaded, String updateId) {
    }

    Planned plan(String jobId, Map<String, AttributeValue> current, JobChange c, Instant now) {
        return plan(jobId, current, c, now, true);
    }

    /**
     * What the offload rule would move out of {@code item} at {@code thresholdBytes}, in the order it
     * would move them (largest first), writing nothing: each moved attribute is replaced by a pointer of
     * the real shape, so the sizes after each move are those a real update would compute.
     */
    static List<String> dryRun(Map<String, AttributeValue> item, long thresholdBytes) {
        OffloadObjects none = OffloadObjects.dryRun();
        WritePlanner planner = new WritePlanner(none, new StepsOffloader(none), thresholdBytes, 0);
        WriteDraft d = new WriteDraft(item);
        String jobId = d.string(JobItem.JOB_ID) == null ? "job" : d.string(JobItem.JOB_ID);
        List<String> moved = new ArrayList<>();
        while (ItemSize.bytes(d.item) > thresholdBytes) {
            String name = largestMovable(d.item, -1);
            if (name == null) {
                break;
            }
            planner.offload(jobId, 1, name, d, JobStore.timestamp(Instant.now()));
            moved.add(name);
        }
        return moved;
    }

    /**
     * @param appendInPlace whether an append to offloaded steps may extend their object as bytes (see
     *                      {@link OffloadedAppend}); false re-plans the general way (steps materialized as values)
     */
    private Planned plan(String jobId, Map<String, AttributeValue> current, JobChange c, Instant at, boolean appendInPlace) {
        String now = JobStore.timestamp(at);
        JobItem before = new JobItem(current);
        long version = before.version() + 1;
        WriteDraft d = new WriteDraft(current);
        d.item.put(JobItem.JOB_ID, AttributeValue.fromS(jobId));
        d.set(JobItem.VERSION, AttributeValue.fromN(Long.toString(version)));
        d.set(JobItem.UPDATED_AT, AttributeValue.fromS(now));
        if (!current.containsKey(JobItem.CREATED_AT)) {
            d.set(JobItem.CREATED_AT, AttributeValue.fromS(now));
        }
        if (c.status != null) {
            d.set(JobItem.STATUS, AttributeValue.fromS(c.status));
        } else if (!current.containsKey(JobItem.STATUS)) {
            d.set(JobItem.STATUS, AttributeValue.fromS(JobStatus.QUEUED.name()));
        }
        if (retentionSeconds > 0) {
            d.set(JobItem.EXPIRES_AT, AttributeValue.fromN(Long.toString(at.getEpochSecond() + retentionSeconds)));
        } else {
            d.remove(JobItem.EXPIRES_AT);
        }
        if (c.error != null) {
            d.set(JobItem.ERROR, c.error);
        }
        c.fields.forEach(d::set);
        c.counters.forEach(d::add);
        d.set(JobItem.LAST_UPDATE_ID, AttributeValue.fromS(c.updateId));

        AttributeValue inline = current.get(JobItem.STEPS);
        boolean legacySteps = inline != null && inline.type() != AttributeValue.Type.L;
        OffloadedAppend appending = appendInPlace && c.setSteps == null && c.appendSteps != null && inline == null
                ? OffloadedAppend.of(current, c.appendSteps) : null;
        if (appending != null) {
            // The steps stay out of the draft: their inline size is known, which is all the rule needs
            // unless they would fit inline again (then this is re-planned the general way, below).
            JobItem.STEPS_POINTER.forEach(d::remove);
        } else if (c.setSteps != null || c.appendSteps != null || legacySteps) {
            List<AttributeValue> all = new ArrayList<>(c.setSteps != null ? c.setSteps : steps.load(before).orElse(List.of()));
            if (c.appendSteps != null) {
                all.addAll(c.appendSteps);
            }
            d.set(JobItem.STEPS, AttributeValue.fromL(all));
            JobItem.STEPS_POINTER.forEach(d::remove);
        }

        List<String> written = new ArrayList<>();
        List<String> offloaded = new ArrayList<>();
        long size;
        try {
            long virtual = appending == null ? 0 : appending.attributeBytes();
            size = ItemSize.bytes(d.item) + virtual;
            while (size > threshold) {
                String name = largestMovable(d.item, appending == null ? -1 : appending.inlineBytes());
                if (name == null) {
                    throw new IllegalStateException("job " + jobId + ": item would be " + size
                            + " bytes, above the offload threshold " + threshold + ", with nothing left to offload");
                }
                if (appending != null && name.equals(JobItem.STEPS)) {
                    Optional<String> key = steps.appendInPlace(jobId, version, d, appending, c.appendSteps);
                    if (key.isEmpty()) {
                        objects.deleteQuietly(written);
                        return plan(jobId, current, c, at, false);
                    }
                    written.add(key.get());
                    appending = null;
                    virtual = 0;
                } else {
                    written.add(offload(jobId, version, name, d, now));
                }
                offloaded.add(name);
                size = ItemSize.bytes(d.item) + virtual;
            }
            if (appending != null) {
                // the steps fit inline again: they must come back into the item, as values
                objects.deleteQuietly(written);
                return plan(jobId, current, c, at, false);
            }
        } catch (RuntimeException e) {
            objects.deleteQuietly(written);
            throw e;
        }

        Set<String> after = new JobItem(d.item).objectKeys(objects.bucket());
        List<String> stale = new ArrayList<>(before.objectKeys(objects.bucket()));
        stale.removeAll(after);
        return new Planned(before, d, version, d.string(JobItem.STATUS),
                d.item.containsKey(JobItem.STEPS_KEY) ? "s3" : "inline", size, written, stale, offloaded, c.updateId);
    }

    /** Moves one attribute of the draft to a new object; returns its key. */
    private String offload(String jobId, long version, String name, WriteDraft d, String now) {
        if (name.equals(JobItem.STEPS)) {
            return steps.offload(jobId, version, d);
        }
        AttributeValue value = d.item.get(name);
        byte[] json = Json.bytes(AttributeValues.toObject(value));
        String key = OffloadKeys.key(jobId, name, version);
        JsonObjects.Stored stored = objects.put(key, json);
        S3Reference ref = new S3Reference(objects.bucket(), key, stored.size(), stored.sha256(),
                JsonObjects.CONTENT_TYPE, value.type().toString(), now);
        d.set(name, ref.toAttribute());
        return key;
    }

    /**
     * The largest attribute whose move to S3 would shrink the item: execution_steps or a non-system one;
     * {@code execution_steps} of {@code virtualStepsBytes} is counted in (when >= 0) though not in the map.
     */
    private static String largestMovable(Map<String, AttributeValue> item, long virtualStepsBytes) {
        String best = null;
        long bestSize = MIN_OFFLOAD_VALUE_BYTES - 1;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            String name = e.getKey();
            boolean movable = name.equals(JobItem.STEPS)
                    ? e.getValue().type() == AttributeValue.Type.L
                    : !JobItem.SYSTEM.contains(name) && JobChange.isValidName(name)
                      && S3Reference.from(e.getValue()).isEmpty();
            if (!movable) {
                continue;
            }
            long size = ItemSize.value(e.getValue());
            if (size > bestSize) {
                best = name;
                bestSize = size;
            }
        }
        if (virtualStepsBytes > bestSize) {
            best = JobItem.STEPS;
        }
        return best;
    }
}
