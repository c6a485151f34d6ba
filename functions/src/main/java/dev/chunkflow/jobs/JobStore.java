package dev.chunkflow.jobs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.offload.JsonObjects;
import dev.chunkflow.offload.JsonValues;
import dev.chunkflow.offload.S3Reference;
import dev.chunkflow.settings.Settings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The job records in DynamoDB, with the S3 offload rule.
 *
 * <p>Every versioned write computes the whole item it will leave behind, measures it exactly
 * ({@link ItemSize}) and, while it is above the offload threshold, moves the largest movable attribute
 * to S3: {@code execution_steps} becomes {@code execution_steps_s3_key/_count/_bytes/_preview}, any
 * other attribute becomes an {@link S3Reference} map. Objects are written under fresh keys
 * ({@code jobs/{job_id}/{attribute}/v{version}-{nonce}.json}) before the UpdateItem that points to them,
 * which is conditional on the version read; the loser of a race deletes what it wrote, re-reads and
 * re-applies its change (appends are merged onto the winner's steps), up to a bounded number of attempts.
 * After a successful write, objects the item no longer points to are deleted.
 */
public final class JobStore {
    public static final long DEFAULT_OFFLOAD_THRESHOLD_BYTES = Settings.DEFAULT_OFFLOAD_THRESHOLD_BYTES;
    public static final int DEFAULT_MAX_ATTEMPTS = 100;
    /** Attribute, field and counter names: they also go into S3 keys. */
    public static final String NAME_RULE = "[A-Za-z][A-Za-z0-9_]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_RULE);
    /** Moving a value smaller than this to S3 would not shrink the item (a reference is ~300 bytes). */
    private static final long MIN_OFFLOAD_VALUE_BYTES = 1024;
    private static final long MAX_BACKOFF_MILLIS = 1_000;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbClient ddb;
    private final JsonObjects objects;
    private final String table;
    private final long threshold;
    private final int maxAttempts;
    private final StepsCache stepsCache = new StepsCache();
    private final StepsJsonCache stepsJsonCache = new StepsJsonCache();

    public JobStore(DynamoDbClient ddb, JsonObjects objects, String table, long offloadThresholdBytes, int maxAttempts) {
        Settings.OFFLOAD_THRESHOLD_BYTES.check(offloadThresholdBytes);
        this.ddb = ddb;
        this.objects = objects;
        this.table = table;
        this.threshold = offloadThresholdBytes;
        this.maxAttempts = maxAttempts;
    }

    /** From JOBS_TABLE, DATA_BUCKET, OFFLOAD_THRESHOLD_BYTES in {@code clients.env()}. */
    public static JobStore fromEnv(AwsClients clients) {
        Env env = clients.env();
        return new JobStore(clients.dynamoDb(),
                new JsonObjects(clients::s3, clients::presigner, Settings.require(env, Settings.DATA_BUCKET)), // built on first offload only
                Settings.require(env, Settings.JOBS_TABLE),
                Settings.OFFLOAD_THRESHOLD_BYTES.read(env),
                DEFAULT_MAX_ATTEMPTS);
    }

    public long offloadThresholdBytes() {
        return threshold;
    }

    public JsonObjects objects() {
        return objects;
    }

    /** Creates the job as QUEUED if it does not exist; returns true when this call created it. */
    public boolean createIfAbsent(String jobId, Map<String, Object> fields) {
        JobId.require(jobId);
        Change change = Change.of(JobUpdate.builder(jobId).status(JobStatus.QUEUED.name()).fields(fields).build());
        Planned p = plan(jobId, Map.of(), change);
        boolean created = commit(p);
        if (created) {
            Log.info("job created", "job_id", jobId, "item_bytes", p.itemBytes);
        }
        return created;
    }

    /** A chunk's counters, added once per chunk whatever the retries (see {@link ChunkCounters}). */
    public ChunkCounters chunkCounters() {
        return new ChunkCounters(ddb, table);
    }

    /** Atomic ADD of counters (safe from many parallel workers; no version check needed). */
    public void addCounters(String jobId, Map<String, Long> deltas) {
        JobId.require(jobId);
        Map<String, Long> counters = Change.counters(deltas, "counters");
        if (counters.isEmpty()) {
            return;
        }
        Expression x = new Expression();
        List<String> adds = new ArrayList<>();
        counters.forEach((name, delta) -> adds.add(x.name(name) + " " + x.value(AttributeValue.fromN(Long.toString(delta)))));
        AttributeValue now = AttributeValue.fromS(now());
        // An item a counter creates (workers racing the creator) still gets the record's basic shape.
        String set = x.name(JobItem.UPDATED_AT) + " = " + x.value(now)
                + ", " + x.name(JobItem.CREATED_AT) + " = if_not_exists(" + x.name(JobItem.CREATED_AT) + ", " + x.value(now) + ")"
                + ", " + x.name(JobItem.STATUS) + " = if_not_exists(" + x.name(JobItem.STATUS) + ", " + x.value(AttributeValue.fromS(JobStatus.QUEUED.name())) + ")"
                + ", " + x.name(JobItem.VERSION) + " = if_not_exists(" + x.name(JobItem.VERSION) + ", " + x.value(AttributeValue.fromN("1")) + ")";
        ddb.updateItem(b -> b.tableName(table).key(key(jobId))
                .updateExpression("ADD " + String.join(", ", adds) + " SET " + set)
                .expressionAttributeNames(x.names).expressionAttributeValues(x.values));
    }

    /** Applies one update with the offload rule and optimistic concurrency; never loses an update. */
    public UpdateResult update(JobUpdate update) {
        String jobId = JobId.require(update.jobId());
        Change change = Change.of(update);
        long started = System.nanoTime();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long t0 = System.nanoTime();
            Map<String, AttributeValue> current = getItem(jobId).map(JobItem::attributes).orElse(Map.of());
            if (change.updateId.equals(stringOf(current.get(JobItem.LAST_UPDATE_ID)))) {
                // A retried task whose earlier try was applied (its response lost, or its sandbox gone after the write).
                JobItem item = new JobItem(current);
                Log.info("job update already applied", "job_id", jobId, "version", item.version());
                return new UpdateResult(jobId, item.version(), item.status(),
                        current.containsKey(JobItem.STEPS_KEY) ? "s3" : "inline", ItemSize.bytes(current));
            }
            long t1 = System.nanoTime();
            Planned p = plan(jobId, current, change);
            long t2 = System.nanoTime();
            if (commit(p)) {
                long t3 = System.nanoTime();
                Log.info("job updated", "job_id", jobId, "version", p.version, "status", p.status,
                        "execution_steps_location", p.stepsLocation, "item_bytes", p.itemBytes,
                        "offloaded", p.offloaded, "attempts", attempt,
                        "millis", (t3 - started) / 1_000_000, "read_ms", (t1 - t0) / 1_000_000,
                        "plan_ms", (t2 - t1) / 1_000_000, "write_ms", (t3 - t2) / 1_000_000);
                return new UpdateResult(jobId, p.version, p.status, p.stepsLocation, p.itemBytes);
            }
            sleepBeforeRetry(attempt);
        }
        Log.warn("job update gave up", "job_id", jobId, "attempts", maxAttempts);
        throw new ConcurrentUpdateException(jobId, maxAttempts);
    }

    /** The item as stored (consistent read), or empty if there is no such job. */
    public Optional<JobItem> get(String jobId) {
        JobId.require(jobId);
        return getItem(jobId);
    }

    /**
     * The job as plain JSON-like values with everything resolved: {@code execution_steps} is the full
     * list wherever it is stored (empty, with an error log, if its object is missing), references are
     * replaced by their values, {@code execution_steps_location} says where the steps live.
     */
    public Optional<Map<String, Object>> read(String jobId) {
        return get(jobId).map(item -> {
            Map<String, Object> out = new LinkedHashMap<>();
            for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
                String name = e.getKey();
                if (JobItem.STEPS_POINTER.contains(name) || name.equals(JobItem.STEPS)) {
                    continue;
                }
                Optional<S3Reference> ref = S3Reference.from(e.getValue());
                out.put(name, ref.isPresent() ? resolve(jobId, ref.get()).orElse(null) : AttributeValues.toObject(e.getValue()));
            }
            out.put(JobItem.STEPS, loadSteps(item).orElse(List.of()));
            out.put("execution_steps_location", item.stepsLocation());
            return out;
        });
    }

    /** The full steps of an item: inline, or loaded from S3; empty if the offloaded object is missing. */
    public Optional<List<Object>> loadSteps(JobItem item) {
        return stepsAttributes(item).map(l -> {
            List<Object> out = new ArrayList<>(l.size());
            for (AttributeValue v : l) {
                out.add(AttributeValues.toObject(v));
            }
            return out;
        });
    }

    /**
     * The value an {@link S3Reference} stands for; empty (with an error log naming the key) if the
     * object is missing. Only references into this job's own prefix of the data bucket are followed.
     */
    public Optional<Object> resolve(String jobId, S3Reference ref) {
        requireOwnObject(jobId, ref);
        Optional<byte[]> json = objects.get(ref.key());
        if (json.isEmpty()) {
            Log.error("offloaded attribute object is missing", "job_id", jobId, "key", ref.key());
            return Optional.empty();
        }
        if (ref.sha256() != null && !ref.sha256().equals(JsonObjects.sha256(json.get()))) {
            throw new IllegalStateException("object " + ref.key() + " does not match the sha256 its reference recorded");
        }
        Object value = JsonValues.parse(json.get());
        if ("B".equals(ref.originalType()) && value instanceof String b64) {
            return Optional.of(Base64.getDecoder().decode(b64));
        }
        return Optional.ofNullable(value);
    }

    /** Whether this store would follow {@code ref} for {@code jobId} (our bucket, the job's own prefix). */
    public boolean isOwnObject(String jobId, S3Reference ref) {
        return objects.bucket().equals(ref.bucket()) && ref.key().startsWith(prefix(jobId));
    }

    private void requireOwnObject(String jobId, S3Reference ref) {
        if (!isOwnObject(jobId, ref)) {
            throw new IllegalStateException("job " + jobId + ": reference points outside the job's prefix: "
                    + ref.bucket() + "/" + ref.key());
        }
    }

    /** What an update returns: small, for a Step Functions task result. */
    public record UpdateResult(String jobId, long version, String status, String executionStepsLocation, long itemBytes) {
    }

    // ---------------------------------------------------------------- reading

    private Optional<JobItem> getItem(String jobId) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(key(jobId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new JobItem(item));
    }

    /** Current steps as attribute values; empty Optional only when the offloaded object is missing. */
    private Optional<List<AttributeValue>> stepsAttributes(JobItem item) {
        AttributeValue inline = item.attributes().get(JobItem.STEPS);
        if (inline != null) {
            return Optional.of(switch (inline.type()) {
                case L -> inline.l();
                // the seeds' form: the steps as one JSON string
                case S -> toSteps(JsonValues.parse(inline.s().getBytes(java.nio.charset.StandardCharsets.UTF_8)), "legacy execution_steps");
                default -> List.of();
            });
        }
        Optional<String> key = item.stepsKey();
        if (key.isEmpty()) {
            return Optional.of(List.of());
        }
        List<AttributeValue> cached = stepsCache.get(key.get());
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<byte[]> json = objects.get(key.get());
        if (json.isEmpty()) {
            Log.error("offloaded execution_steps object is missing", "job_id", item.jobId(), "key", key.get());
            return Optional.empty();
        }
        List<AttributeValue> steps = toSteps(JsonValues.parse(json.get()), key.get());
        stepsCache.put(key.get(), steps, json.get().length);
        stepsJsonCache.put(key.get(), json.get());
        return Optional.of(steps);
    }

    private static List<AttributeValue> toSteps(Object parsed, String source) {
        if (!(parsed instanceof List<?> list)) {
            throw new IllegalStateException(source + " does not hold a JSON array of steps");
        }
        return AttributeValues.toList(list, JobItem.STEPS);
    }

    // ---------------------------------------------------------------- planning one write

    private Planned plan(String jobId, Map<String, AttributeValue> current, Change c) {
        return plan(jobId, current, c, true);
    }

    /**
     * @param appendInPlace whether an append to offloaded steps may extend their object as bytes (see
     *                      {@link Appending}); false re-plans the general way (steps materialized as values)
     */
    private Planned plan(String jobId, Map<String, AttributeValue> current, Change c, boolean appendInPlace) {
        JobItem before = new JobItem(current);
        long version = before.version() + 1;
        String now = now();
        Draft d = new Draft(current);
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
        if (c.error != null) {
            d.set(JobItem.ERROR, c.error);
        }
        c.fields.forEach(d::set);
        c.counters.forEach(d::add);
        d.set(JobItem.LAST_UPDATE_ID, AttributeValue.fromS(c.updateId));

        AttributeValue inline = current.get(JobItem.STEPS);
        boolean legacySteps = inline != null && inline.type() != AttributeValue.Type.L;
        Appending appending = appendInPlace && c.setSteps == null && c.appendSteps != null && inline == null
                ? Appending.of(current, c.appendSteps) : null;
        if (appending != null) {
            // The steps stay out of the draft: their inline size is known, which is all the rule needs
            // unless they would fit inline again (then this is re-planned the general way, below).
            JobItem.STEPS_POINTER.forEach(d::remove);
        } else if (c.setSteps != null || c.appendSteps != null || legacySteps) {
            List<AttributeValue> steps = new ArrayList<>(c.setSteps != null ? c.setSteps
                    : stepsAttributes(before).orElse(List.of()));
            if (c.appendSteps != null) {
                steps.addAll(c.appendSteps);
            }
            d.set(JobItem.STEPS, AttributeValue.fromL(steps));
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
                    Optional<String> key = appendOffloadedSteps(jobId, version, d, appending, c.appendSteps);
                    if (key.isEmpty()) {
                        objects.deleteQuietly(written);
                        return plan(jobId, current, c, false);
                    }
                    written.add(key.get());
                    appending = null;
                    virtual = 0;
                } else {
                    written.add(name.equals(JobItem.STEPS) ? offloadSteps(jobId, version, d) : offloadAttribute(jobId, version, name, d, now));
                }
                offloaded.add(name);
                size = ItemSize.bytes(d.item) + virtual;
            }
            if (appending != null) {
                // the steps fit inline again: they must come back into the item, as values
                objects.deleteQuietly(written);
                return plan(jobId, current, c, false);
            }
        } catch (RuntimeException e) {
            objects.deleteQuietly(written);
            throw e;
        }

        List<String> stale = new ArrayList<>();
        before.stepsKey().filter(k -> !k.equals(stringOf(d.item.get(JobItem.STEPS_KEY)))).ifPresent(stale::add);
        for (Map.Entry<String, AttributeValue> e : current.entrySet()) {
            S3Reference.from(e.getValue()).filter(ref -> isOwnObject(jobId, ref)).ifPresent(ref -> {
                Optional<S3Reference> after = S3Reference.from(d.item.get(e.getKey()));
                if (after.isEmpty() || !after.get().key().equals(ref.key())) {
                    stale.add(ref.key());
                }
            });
        }
        return new Planned(request(jobId, before, d), version, stringOf(d.item.get(JobItem.STATUS)),
                d.item.containsKey(JobItem.STEPS_KEY) ? "s3" : "inline", size, written, stale, offloaded, c.updateId);
    }

    /**
     * What the offload rule would move out of {@code item} at {@code thresholdBytes}, in the order it
     * would move them (largest first), without writing anything: each moved attribute is replaced by
     * a pointer of the real shape (steps: key, count, bytes, preview; others: an s3_reference map) with
     * a placeholder key, so the sizes after each move are those a real update would compute.
     */
    public static List<String> offloadPreview(Map<String, AttributeValue> item, long thresholdBytes) {
        Map<String, AttributeValue> draft = new java.util.HashMap<>(item);
        String jobId = stringOf(draft.get(JobItem.JOB_ID)) == null ? "job" : stringOf(draft.get(JobItem.JOB_ID));
        List<String> moved = new ArrayList<>();
        while (ItemSize.bytes(draft) > thresholdBytes) {
            String name = largestMovable(draft);
            if (name == null) {
                break;
            }
            String key = objectKey(jobId, name, 1);
            byte[] json = Json.bytes(AttributeValues.toObject(draft.get(name)));
            if (name.equals(JobItem.STEPS)) {
                List<AttributeValue> steps = draft.remove(JobItem.STEPS).l();
                draft.put(JobItem.STEPS_KEY, AttributeValue.fromS(key));
                draft.put(JobItem.STEPS_COUNT, AttributeValue.fromN(Integer.toString(steps.size())));
                draft.put(JobItem.STEPS_BYTES, AttributeValue.fromN(Integer.toString(json.length)));
                draft.put(JobItem.STEPS_PREVIEW, StepsPreview.of(steps));
                draft.put(JobItem.STEPS_ITEM_BYTES, AttributeValue.fromN(Long.toString(ItemSize.value(AttributeValue.fromL(steps)))));
            } else {
                draft.put(name, new S3Reference("bucket-name-of-63-characters-at-most", key, json.length,
                        JsonObjects.sha256(json), JsonObjects.CONTENT_TYPE, draft.get(name).type().toString(),
                        Instant.now().toString()).toAttribute());
            }
            moved.add(name);
        }
        return moved;
    }

    /** The largest attribute whose move to S3 would shrink the item: execution_steps or a non-system one. */
    private static String largestMovable(Map<String, AttributeValue> item) {
        return largestMovable(item, -1);
    }

    /** As above, with {@code execution_steps} of {@code virtualStepsBytes} counted in (when >= 0) though not in the map. */
    private static String largestMovable(Map<String, AttributeValue> item, long virtualStepsBytes) {
        String best = null;
        long bestSize = MIN_OFFLOAD_VALUE_BYTES - 1;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            String name = e.getKey();
            boolean movable = name.equals(JobItem.STEPS)
                    ? e.getValue().type() == AttributeValue.Type.L
                    : !JobItem.SYSTEM.contains(name) && NAME.matcher(name).matches()
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

    private String offloadSteps(String jobId, long version, Draft d) {
        AttributeValue list = d.item.get(JobItem.STEPS);
        List<AttributeValue> steps = list.l();
        byte[] json = Json.bytes(AttributeValues.toObject(list));
        String key = objectKey(jobId, JobItem.STEPS, version);
        objects.put(key, json);
        stepsCache.put(key, steps, json.length);
        stepsJsonCache.put(key, json);
        d.set(JobItem.STEPS_ITEM_BYTES, AttributeValue.fromN(Long.toString(ItemSize.value(list))));
        d.remove(JobItem.STEPS);
        d.set(JobItem.STEPS_KEY, AttributeValue.fromS(key));
        d.set(JobItem.STEPS_COUNT, AttributeValue.fromN(Integer.toString(steps.size())));
        d.set(JobItem.STEPS_BYTES, AttributeValue.fromN(Integer.toString(json.length)));
        d.set(JobItem.STEPS_PREVIEW, StepsPreview.of(steps));
        return key;
    }

    /**
     * Appends to offloaded steps without turning them into values: the new object is the old JSON array with
     * the new steps' JSON spliced in before its closing bracket, byte for byte what serializing the whole
     * list would give (compact JSON, each map's keys sorted). Empty when the old object is missing or is
     * not a JSON array text (the caller then re-plans the general way, which handles both).
     */
    private Optional<String> appendOffloadedSteps(String jobId, long version, Draft d, Appending a, List<AttributeValue> appended) {
        byte[] old = stepsJsonCache.get(a.oldKey());
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
        String key = objectKey(jobId, JobItem.STEPS, version);
        objects.put(key, json);
        stepsJsonCache.put(key, json);
        d.set(JobItem.STEPS_KEY, AttributeValue.fromS(key));
        d.set(JobItem.STEPS_COUNT, AttributeValue.fromN(Long.toString(a.count())));
        d.set(JobItem.STEPS_BYTES, AttributeValue.fromN(Integer.toString(json.length)));
        d.set(JobItem.STEPS_ITEM_BYTES, AttributeValue.fromN(Long.toString(a.inlineBytes())));
        d.set(JobItem.STEPS_PREVIEW, d.current.get(JobItem.STEPS_PREVIEW));
        return Optional.of(key);
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
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(array.length + 1024 * steps.size() + 16);
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

    private String offloadAttribute(String jobId, long version, String name, Draft d, String now) {
        AttributeValue value = d.item.get(name);
        byte[] json = Json.bytes(AttributeValues.toObject(value));
        String key = objectKey(jobId, name, version);
        JsonObjects.Stored stored = objects.put(key, json);
        S3Reference ref = new S3Reference(objects.bucket(), key, stored.size(), stored.sha256(),
                JsonObjects.CONTENT_TYPE, value.type().toString(), now);
        d.set(name, ref.toAttribute());
        return key;
    }

    private static String prefix(String jobId) {
        return dev.chunkflow.pipeline.runs.RunLayout.jobPrefix(jobId);
    }

    /** A fresh key per write: racing writers of the same version never share (or delete) an object. */
    private static String objectKey(String jobId, String attribute, long version) {
        String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return prefix(jobId) + attribute + "/v" + version + "-" + nonce + ".json";
    }

    private UpdateItemRequest request(String jobId, JobItem before, Draft d) {
        Expression x = new Expression();
        List<String> clauses = new ArrayList<>();
        if (!d.set.isEmpty()) {
            List<String> sets = new ArrayList<>();
            d.set.forEach((n, v) -> sets.add(x.name(n) + " = " + x.value(v)));
            clauses.add("SET " + String.join(", ", sets));
        }
        if (!d.add.isEmpty()) {
            List<String> adds = new ArrayList<>();
            d.add.forEach((n, delta) -> adds.add(x.name(n) + " " + x.value(AttributeValue.fromN(Long.toString(delta)))));
            clauses.add("ADD " + String.join(", ", adds));
        }
        if (!d.remove.isEmpty()) {
            List<String> removes = new ArrayList<>();
            d.remove.forEach(n -> removes.add(x.name(n)));
            clauses.add("REMOVE " + String.join(", ", removes));
        }
        String condition;
        if (before.attributes().isEmpty()) {
            condition = "attribute_not_exists(" + x.name(JobItem.JOB_ID) + ")";
        } else if (before.attributes().containsKey(JobItem.VERSION)) {
            condition = x.name(JobItem.VERSION) + " = " + x.value(before.attributes().get(JobItem.VERSION));
        } else {
            // an item from before versions existed
            condition = "attribute_exists(" + x.name(JobItem.JOB_ID) + ") AND attribute_not_exists(" + x.name(JobItem.VERSION) + ")";
        }
        return UpdateItemRequest.builder().tableName(table).key(key(jobId))
                .updateExpression(String.join(" ", clauses))
                .conditionExpression(condition)
                .expressionAttributeNames(x.names)
                .expressionAttributeValues(x.values)
                .build();
    }

    /**
     * True if written; false if the version moved (our new objects are then deleted). A failed condition
     * can also be our own write: the SDK retries a write whose response timed out after it was applied,
     * and the retry finds the version already moved, by us; the item's update id tells.
     */
    private boolean commit(Planned p) {
        try {
            ddb.updateItem(p.request);
        } catch (ConditionalCheckFailedException e) {
            String applied = getItem(p.request.key().get(JobItem.JOB_ID).s())
                    .map(item -> stringOf(item.attributes().get(JobItem.LAST_UPDATE_ID))).orElse(null);
            if (p.updateId.equals(applied)) {
                objects.deleteQuietly(p.stale);
                return true;
            }
            objects.deleteQuietly(p.written);
            return false;
        } catch (DynamoDbException e) {
            // A 4xx is a definite rejection: nothing points to our objects. On a 5xx or a timeout the
            // write may have landed, so the objects stay (an orphan is harmless, a dangling pointer is not).
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                objects.deleteQuietly(p.written);
            }
            throw e;
        }
        objects.deleteQuietly(p.stale);
        return true;
    }

    /** Full-jitter exponential backoff (5 ms doubling, capped at 1 s): spreads racing writers out. */
    private static void sleepBeforeRetry(int attempt) {
        long cap = Math.min(MAX_BACKOFF_MILLIS, 5L << Math.min(attempt, 10));
        try {
            Thread.sleep(ThreadLocalRandom.current().nextLong(cap + 1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while retrying a job update", e);
        }
    }

    /** Fixed width (always milliseconds), so an item's size does not wobble with the clock. */
    static String now() {
        return TIMESTAMP.format(Instant.now());
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId));
    }

    private static String stringOf(AttributeValue v) {
        return v == null ? null : v.s();
    }

    // ---------------------------------------------------------------- small types

    /**
     * An append to offloaded steps whose preview is complete and whose inline size is recorded: the new
     * inline size is that plus each appended step's (DynamoDB's list rule: 1 + element size per element).
     */
    private record Appending(String oldKey, long count, long inlineBytes) {
        static Appending of(Map<String, AttributeValue> current, List<AttributeValue> appended) {
            AttributeValue key = current.get(JobItem.STEPS_KEY);
            AttributeValue count = current.get(JobItem.STEPS_COUNT);
            AttributeValue inline = current.get(JobItem.STEPS_ITEM_BYTES);
            AttributeValue preview = current.get(JobItem.STEPS_PREVIEW);
            if (key == null || key.s() == null || count == null || count.n() == null || inline == null || inline.n() == null
                    || preview == null || preview.type() != AttributeValue.Type.L) {
                return null;
            }
            long n;
            long bytes;
            try {
                n = Long.parseLong(count.n());
                bytes = Long.parseLong(inline.n());
            } catch (NumberFormatException e) {
                return null;
            }
            // a preview of fewer than its full number of steps would change with this append
            if (n < StepsPreview.STEPS || preview.l().size() != StepsPreview.STEPS) {
                return null;
            }
            for (AttributeValue step : appended) {
                bytes += 1 + ItemSize.value(step);
            }
            return new Appending(key.s(), n + appended.size(), bytes);
        }

        /** What the steps would add to the item inline: the attribute name and the list. */
        long attributeBytes() {
            return ItemSize.utf8Length(JobItem.STEPS) + inlineBytes;
        }
    }

    private record Planned(UpdateItemRequest request, long version, String status, String stepsLocation,
                           long itemBytes, List<String> written, List<String> stale, List<String> offloaded,
                           String updateId) {
    }

    /** The item after the write, and the SET / ADD / REMOVE that produce it (a name is in one at most). */
    private static final class Draft {
        final Map<String, AttributeValue> current;
        final Map<String, AttributeValue> item;
        final Map<String, AttributeValue> set = new LinkedHashMap<>();
        final Map<String, Long> add = new LinkedHashMap<>();
        final Set<String> remove = new LinkedHashSet<>();

        Draft(Map<String, AttributeValue> current) {
            this.current = current;
            this.item = new HashMap<>(current);
        }

        void set(String name, AttributeValue v) {
            item.put(name, v);
            set.put(name, v);
            remove.remove(name);
        }

        void remove(String name) {
            item.remove(name);
            set.remove(name);
            if (current.containsKey(name)) {
                remove.add(name);
            }
        }

        /** ADD: the item's value is computed from the value read (concurrent ADDs only change digits). */
        void add(String name, long delta) {
            AttributeValue v = current.get(name);
            long base = v != null && v.n() != null ? new java.math.BigDecimal(v.n()).longValue() : 0;
            item.put(name, AttributeValue.fromN(Long.toString(base + delta)));
            add.put(name, delta);
        }
    }

    /** Placeholders for names and values, so any attribute name (reserved words included) is safe. */
    private static final class Expression {
        final Map<String, String> names = new HashMap<>();
        final Map<String, AttributeValue> values = new HashMap<>();
        private final Map<String, String> byName = new HashMap<>();

        String name(String attribute) {
            return byName.computeIfAbsent(attribute, a -> {
                String p = "#n" + byName.size();
                names.put(p, a);
                return p;
            });
        }

        String value(AttributeValue v) {
            String p = ":v" + values.size();
            values.put(p, v);
            return p;
        }
    }

    /** A validated {@link JobUpdate}, converted to attribute values once (before any retry). */
    static final class Change {
        String status;
        List<AttributeValue> setSteps;
        List<AttributeValue> appendSteps;
        Map<String, Long> counters = Map.of();
        AttributeValue error;
        Map<String, AttributeValue> fields = Map.of();
        String updateId;

        static Change of(JobUpdate u) {
            Change c = new Change();
            c.updateId = u.updateId() != null ? u.updateId() : java.util.UUID.randomUUID().toString();
            if (u.status() != null) {
                c.status = JobStatus.parse("status", u.status()).name();
            }
            c.setSteps = steps(u.setSteps(), "set_steps");
            c.appendSteps = steps(u.appendSteps(), "append_steps");
            c.counters = counters(u.counters(), "counters");
            if (u.error() != null) {
                c.error = AttributeValues.toAttribute(u.error(), "error");
            }
            if (u.fields() != null) {
                Map<String, AttributeValue> fields = new LinkedHashMap<>();
                u.fields().forEach((name, value) -> {
                    String path = "fields." + name;
                    checkName(name, path);
                    if (JobItem.SYSTEM.contains(name) || name.equals(JobItem.ERROR)) {
                        throw new InvalidInput(path, "is managed by the job store; use its own parameter");
                    }
                    if (c.counters.containsKey(name)) {
                        throw new InvalidInput(path, "is also a counter in this update");
                    }
                    if (S3Reference.looksLikeReference(value)) {
                        throw new InvalidInput(path, "s3_reference maps are written by the job store only");
                    }
                    fields.put(name, AttributeValues.toAttribute(value, path));
                });
                c.fields = fields;
            }
            return c;
        }

        static Map<String, Long> counters(Map<String, Long> deltas, String field) {
            if (deltas == null) {
                return Map.of();
            }
            Map<String, Long> out = new LinkedHashMap<>();
            deltas.forEach((name, delta) -> {
                String path = field + "." + name;
                checkName(name, path);
                if (JobItem.SYSTEM.contains(name) || name.equals(JobItem.ERROR)) {
                    throw new InvalidInput(path, "is not a counter");
                }
                if (delta == null) {
                    throw new InvalidInput(path, "must be an integer");
                }
                out.put(name, delta);
            });
            return out;
        }

        private static List<AttributeValue> steps(List<Map<String, Object>> steps, String field) {
            if (steps == null) {
                return null;
            }
            List<AttributeValue> out = new ArrayList<>(steps.size());
            for (int i = 0; i < steps.size(); i++) {
                if (steps.get(i) == null) {
                    throw new InvalidInput(field + "[" + i + "]", "must be an object");
                }
                out.add(AttributeValues.toAttribute(steps.get(i), field + "[" + i + "]"));
            }
            return out;
        }

        private static void checkName(String name, String path) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new InvalidInput(path, "name must match " + NAME_RULE);
            }
        }
    }

    /**
     * The last steps document read or written, by key. Keys are never rewritten, so an entry can never be
     * stale; it saves re-downloading the steps on every retry of a contended append.
     */
    private static final class StepsCache {
        private static final long MAX_BYTES = 16L * 1024 * 1024;
        private String key;
        private List<AttributeValue> steps;

        synchronized List<AttributeValue> get(String k) {
            return k.equals(key) ? steps : null;
        }

        synchronized void put(String k, List<AttributeValue> s, long bytes) {
            if (bytes <= MAX_BYTES) {
                key = k;
                steps = List.copyOf(s);
            }
        }
    }

    /** The last steps document read or written, as its JSON bytes (for appends in place); same rules as above. */
    private static final class StepsJsonCache {
        private static final long MAX_BYTES = 16L * 1024 * 1024;
        private String key;
        private byte[] json;

        synchronized byte[] get(String k) {
            return k.equals(key) ? json : null;
        }

        synchronized void put(String k, byte[] j) {
            if (j.length <= MAX_BYTES) {
                key = k;
                json = j;
            }
        }
    }
}
