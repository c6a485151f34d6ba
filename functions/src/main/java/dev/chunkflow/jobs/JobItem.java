package dev.chunkflow.jobs;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.chunkflow.offload.S3Reference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** A job item as stored in DynamoDB, with the attribute names of the job record. */
public record JobItem(Map<String, AttributeValue> attributes) {
    public static final String JOB_ID = "job_id";
    public static final String STATUS = "status";
    public static final String CREATED_AT = "created_at";
    public static final String UPDATED_AT = "updated_at";
    public static final String VERSION = "version";
    public static final String ERROR = "error";
    /** The table's TTL attribute (epoch seconds): DynamoDB deletes the item some time after it passes. */
    public static final String EXPIRES_AT = "expires_at";
    public static final String STEPS = "execution_steps";
    public static final String STEPS_KEY = "execution_steps_s3_key";
    public static final String STEPS_COUNT = "execution_steps_count";
    public static final String STEPS_BYTES = "execution_steps_bytes";
    public static final String STEPS_PREVIEW = "execution_steps_preview";
    /**
     * The size (by DynamoDB's rules) the offloaded steps would have inline: lets an append decide that they
     * stay offloaded without downloading and parsing them.
     */
    public static final String STEPS_ITEM_BYTES = "execution_steps_item_bytes";
    /** The id of the last update applied: a repeat of it (a retry whose first try was applied) is not applied twice. */
    public static final String LAST_UPDATE_ID = "last_update_id";
    /** The pointer attributes an offloaded execution_steps leaves on the item. */
    public static final List<String> STEPS_POINTER = List.of(STEPS_KEY, STEPS_COUNT, STEPS_BYTES, STEPS_PREVIEW,
            STEPS_ITEM_BYTES);
    /** Counters updated with atomic ADD. */
    public static final List<String> COUNTERS = List.of("num_chunks", "chunks_done", "rows_in", "rows_out", "rows_rejected");
    /** Attributes the store manages itself: never set through {@code fields}, never offloaded. */
    public static final Set<String> SYSTEM = Set.of(JOB_ID, STATUS, CREATED_AT, UPDATED_AT, VERSION, EXPIRES_AT, LAST_UPDATE_ID,
            STEPS, STEPS_KEY, STEPS_COUNT, STEPS_BYTES, STEPS_PREVIEW, STEPS_ITEM_BYTES);

    public JobItem {
        attributes = Map.copyOf(attributes);
    }

    public String jobId() {
        return s(JOB_ID);
    }

    public String status() {
        return s(STATUS);
    }

    /** 0 for an item written before versions existed. */
    public long version() {
        AttributeValue v = attributes.get(VERSION);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    /**
     * Whether the item's TTL has passed at {@code now}. DynamoDB deletes such an item within a few days
     * but still returns it until then; whoever decides on its existence (the orphan collector) treats it
     * as gone. An item without a number in expires_at never expires.
     */
    public boolean expired(java.time.Instant now) {
        AttributeValue v = attributes.get(EXPIRES_AT);
        if (v == null || v.n() == null) {
            return false;
        }
        try {
            return new java.math.BigDecimal(v.n()).longValue() < now.getEpochSecond();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    public boolean stepsOffloaded() {
        return attributes.containsKey(STEPS_KEY);
    }

    public String stepsLocation() {
        return stepsOffloaded() ? "s3" : "inline";
    }

    public Optional<String> stepsKey() {
        return Optional.ofNullable(s(STEPS_KEY));
    }

    public Optional<S3Reference> reference(String attribute) {
        return S3Reference.from(attributes.get(attribute));
    }

    /**
     * Every object of {@code bucket} this item version points to: its offloaded steps and the references
     * into the job's own prefix (the only ones the store follows, writes and deletes).
     */
    public Set<String> objectKeys(String bucket) {
        Set<String> keys = new LinkedHashSet<>();
        stepsKey().ifPresent(keys::add);
        String jobId = jobId();
        for (AttributeValue v : attributes.values()) {
            S3Reference.from(v).filter(ref -> jobId != null && OffloadKeys.isOwn(bucket, jobId, ref))
                    .ifPresent(ref -> keys.add(ref.key()));
        }
        return keys;
    }

    private String s(String name) {
        AttributeValue v = attributes.get(name);
        return v == null ? null : v.s();
    }
}
