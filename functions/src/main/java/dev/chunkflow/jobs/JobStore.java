package dev.chunkflow.jobs;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Log;
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

/**
 * The job records in DynamoDB, with the S3 offload rule: the facade the handlers use, and the retry loop
 * around one planned write ({@link WritePlanner}, {@link StepsOffloader}, {@link UpdateExpression}).
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
    private static final long MAX_BACKOFF_MILLIS = 1_000;
    private static final DateTimeFormatter TIMESTAMP =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final DynamoDbClient ddb;
    private final JsonObjects objects;
    private final String table;
    private final long threshold;
    private final int maxAttempts;
    private final StepsOffloader steps;
    private final WritePlanner planner;

    public JobStore(DynamoDbClient ddb, JsonObjects objects, String table, long offloadThresholdBytes, int maxAttempts) {
        this(ddb, objects, table, offloadThresholdBytes, Settings.JOB_RETENTION_DAYS.defaultValue(), maxAttempts);
    }

    /** @param retentionDays days an item lives after its last versioned write (its TTL); 0: forever */
    public JobStore(DynamoDbClient ddb, JsonObjects objects, String table, long offloadThresholdBytes, long retentionDays,
                    int maxAttempts) {
        Settings.OFFLOAD_THRESHOLD_BYTES.check(offloadThresholdBytes);
        Settings.JOB_RETENTION_DAYS.check(retentionDays);
        this.ddb = ddb;
        this.objects = objects;
        this.table = table;
        this.threshold = offloadThresholdBytes;
        this.maxAttempts = maxAttempts;
        OffloadObjects target = OffloadObjects.of(objects);
        this.steps = new StepsOffloader(target);
        this.planner = new WritePlanner(target, steps, offloadThresholdBytes, retentionDays);
    }

    /** From JOBS_TABLE, DATA_BUCKET, OFFLOAD_THRESHOLD_BYTES, JOB_RETENTION_DAYS in {@code clients.env()}. */
    public static JobStore fromEnv(AwsClients clients) {
        Env env = clients.env();
        return new JobStore(clients.dynamoDb(),
                new JsonObjects(clients::s3, clients::presigner, Settings.require(env, Settings.DATA_BUCKET)), // built on first offload only
                Settings.require(env, Settings.JOBS_TABLE),
                Settings.OFFLOAD_THRESHOLD_BYTES.read(env),
                Settings.JOB_RETENTION_DAYS.read(env),
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
        JobChange change = JobChange.of(JobUpdate.builder(jobId).status(JobStatus.QUEUED.name()).fields(fields).build());
        WritePlanner.Planned p = planner.plan(jobId, Map.of(), change, Instant.now());
        boolean created = commit(jobId, p);
        if (created) {
            Log.info("job created", "job_id", jobId, "item_bytes", p.itemBytes());
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
        Map<String, Long> counters = JobChange.counters(deltas, "counters");
        if (counters.isEmpty()) {
            return;
        }
        ddb.updateItem(UpdateExpression.addCounters(table, key(jobId), counters, now()));
    }

    /** Applies one update with the offload rule and optimistic concurrency; never loses an update. */
    public UpdateResult update(JobUpdate update) {
        String jobId = JobId.require(update.jobId());
        JobChange change = JobChange.of(update);
        long started = System.nanoTime();
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            long t0 = System.nanoTime();
            Map<String, AttributeValue> current = getItem(jobId).map(JobItem::attributes).orElse(Map.of());
            if (change.updateId.equals(lastUpdateId(current))) {
                // A retried task whose earlier try was applied (its response lost, or its sandbox gone after the write).
                JobItem item = new JobItem(current);
                Log.info("job update already applied", "job_id", jobId, "version", item.version());
                return new UpdateResult(jobId, item.version(), item.status(),
                        current.containsKey(JobItem.STEPS_KEY) ? "s3" : "inline", ItemSize.bytes(current));
            }
            long t1 = System.nanoTime();
            WritePlanner.Planned p = planner.plan(jobId, current, change, Instant.now());
            long t2 = System.nanoTime();
            if (commit(jobId, p)) {
                long t3 = System.nanoTime();
                Log.info("job updated", "job_id", jobId, "version", p.version(), "status", p.status(),
                        "execution_steps_location", p.stepsLocation(), "item_bytes", p.itemBytes(),
                        "offloaded", p.offloaded(), "attempts", attempt,
                        "millis", (t3 - started) / 1_000_000, "read_ms", (t1 - t0) / 1_000_000,
                        "plan_ms", (t2 - t1) / 1_000_000, "write_ms", (t3 - t2) / 1_000_000);
                return new UpdateResult(jobId, p.version(), p.status(), p.stepsLocation(), p.itemBytes());
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
        return steps.load(item).map(l -> {
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
        return OffloadKeys.isOwn(objects.bucket(), jobId, ref);
    }

    private void requireOwnObject(String jobId, S3Reference ref) {
        if (!isOwnObject(jobId, ref)) {
            throw new IllegalStateException("job " + jobId + ": reference points outside the job's prefix: "
                    + ref.bucket() + "/" + ref.key());
        }
    }

    /**
     * What the offload rule would move out of {@code item} at {@code thresholdBytes}, in the order it
     * would move them (largest first): a dry run of the write planner, writing nothing.
     */
    public static List<String> offloadPreview(Map<String, AttributeValue> item, long thresholdBytes) {
        return WritePlanner.dryRun(item, thresholdBytes);
    }

    /** What an update returns: small, for a Step Functions task result. */
    public record UpdateResult(String jobId, long version, String status, String executionStepsLocation, long itemBytes) {
    }

    // ---------------------------------------------------------------- reading and committing

    private static String lastUpdateId(Map<String, AttributeValue> item) {
        AttributeValue v = item.get(JobItem.LAST_UPDATE_ID);
        return v == null ? null : v.s();
    }

    private Optional<JobItem> getItem(String jobId) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).key(key(jobId)).consistentRead(true)).item();
        return item == null || item.isEmpty() ? Optional.empty() : Optional.of(new JobItem(item));
    }

    /**
     * True if written; false if the version moved (our new objects are then deleted). A failed condition
     * can also be our own write: the SDK retries a write whose response timed out after it was applied,
     * and the retry finds the version already moved, by us; the item's update id tells.
     */
    private boolean commit(String jobId, WritePlanner.Planned p) {
        try {
            ddb.updateItem(UpdateExpression.versioned(table, key(jobId), p.before(), p.draft()));
        } catch (ConditionalCheckFailedException e) {
            if (p.updateId().equals(getItem(jobId).map(item -> lastUpdateId(item.attributes())).orElse(null))) {
                objects.deleteQuietly(p.stale());
                return true;
            }
            objects.deleteQuietly(p.written());
            return false;
        } catch (DynamoDbException e) {
            // A 4xx is a definite rejection: nothing points to our objects. On a 5xx or a timeout the
            // write may have landed, so the objects stay (an orphan is harmless, a dangling pointer is not;
            // the orphan collector, dev.chunkflow.jobs.gc, deletes them once they are old enough).
            if (e.statusCode() >= 400 && e.statusCode() < 500) {
                objects.deleteQuietly(p.written());
            }
            throw e;
        }
        objects.deleteQuietly(p.stale());
        return true;
    }

    /** Full-jitter exponential backoff (caps 10, 20, 40 ms ... up to 1 s): spreads racing writers out. */
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
        return timestamp(Instant.now());
    }

    static String timestamp(Instant at) {
        return TIMESTAMP.format(at);
    }

    private static Map<String, AttributeValue> key(String jobId) {
        return Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId));
    }
}
