package dev.chunkflow.settings;

import java.util.List;
import java.util.Set;

import dev.chunkflow.aws.Env;
import dev.chunkflow.limits.AwsLimits;

/**
 * Every environment variable a chunkflow function reads: the one place that owns its name, default and
 * bounds. Handlers read through here; template.yaml's Parameters and each function's Environment are
 * held to it by TemplateSettingsCheckTest.
 */
public final class Settings {
    public static final String DATA_BUCKET = "DATA_BUCKET";
    public static final String JOBS_TABLE = "JOBS_TABLE";
    public static final String STATE_MACHINE_ARN = "STATE_MACHINE_ARN";
    /** Secrets Manager secret holding the patient_token HMAC key; {@code local} selects the public local-only key. */
    public static final String TOKEN_SECRET_ARN = "TOKEN_SECRET_ARN";
    /** The workload of a GetChunks request that names none (template parameter DefaultWorkload; built-in default visits). */
    public static final String DEFAULT_WORKLOAD = "DEFAULT_WORKLOAD";

    /** A compile-time constant, for annotations (the CLI's --threshold default). */
    public static final long DEFAULT_OFFLOAD_THRESHOLD_BYTES = 307_200;
    public static final NumberSetting OFFLOAD_THRESHOLD_BYTES = new NumberSetting("OFFLOAD_THRESHOLD_BYTES",
            "OffloadThresholdBytes", DEFAULT_OFFLOAD_THRESHOLD_BYTES, 16_384, AwsLimits.DYNAMODB_ITEM_BYTES,
            "below 16 KB the pointer attributes and previews themselves would not fit; above, DynamoDB's item limit");
    /**
     * An inline Map item costs about 7 history events (more with retries) and a Standard execution stops
     * at 25,000 events: 2,000 items leave room for the retries and the rest of the execution.
     */
    public static final NumberSetting INLINE_MAP_MAX_CHUNKS = new NumberSetting("INLINE_MAP_MAX_CHUNKS",
            "InlineMapMaxChunks", 1000, 0, 2000,
            "an inline Map item costs ~7 history events and a Standard execution allows 25,000");
    public static final NumberSetting TARGET_ROWS_PER_CHUNK = new NumberSetting("TARGET_ROWS_PER_CHUNK",
            "TargetRowsPerChunk", 50_000, 1, 1_000_000,
            "one chunk's rows must fit ProcessChunk's memory and Timeout");
    public static final NumberSetting PRESIGNED_URL_TTL_SECONDS = new NumberSetting("PRESIGNED_URL_TTL_SECONDS",
            "PresignedUrlTtlSeconds", 3600, 60, 3600,
            "a URL signed with the function's temporary credentials dies with them anyway");

    /**
     * ProcessChunk's reserved concurrency, which StartJob also reads: a request's max_concurrency above it
     * would only be throttled (and could starve nothing else, since the reservation fences it). An account
     * has 1,000 concurrent executions by default and Lambda keeps 100 of them unreserved.
     */
    public static final NumberSetting PROCESS_CHUNK_RESERVED_CONCURRENCY = new NumberSetting(
            "PROCESS_CHUNK_RESERVED_CONCURRENCY", "ProcessChunkReservedConcurrency", 100, 1, 900,
            "the account's default 1,000 concurrent executions minus the 100 Lambda keeps unreserved");

    /**
     * The part of an EXPRESS child execution's 5 minutes a ProcessChunk batch may spend taking chunks,
     * counted from the child's start; the rest covers a chunk in flight, a retry's backoff and the
     * child's own states. Not a template parameter (StateMachineDefinitionCheckTest holds the ASL's
     * retriers to it); local tests shrink it to make batches stop early.
     */
    public static final NumberSetting BATCH_TIME_BUDGET_SECONDS = new NumberSetting("BATCH_TIME_BUDGET_SECONDS",
            null, 240, 0, 240, "an EXPRESS child execution lives at most 300 seconds; 60 stay for a chunk in flight");

    /**
     * Days a job item lives after its last versioned write: the store sets {@code expires_at} (epoch
     * seconds), the table's TTL attribute; 0 writes none (items are kept forever). Its offloaded objects
     * under jobs/ become unreferenced when the item goes and the orphan collector deletes them.
     */
    public static final NumberSetting JOB_RETENTION_DAYS = new NumberSetting("JOB_RETENTION_DAYS",
            "JobRetentionDays", 90, 0, 3650, "0 keeps job records forever; 3650 is ten years");

    /**
     * The orphan collector keeps an unreferenced object under jobs/ younger than this: a writer PUTs its
     * objects before the UpdateItem that points to them, within one invocation of at most 900 s.
     */
    public static final NumberSetting ORPHAN_GRACE_SECONDS = new NumberSetting("ORPHAN_GRACE_SECONDS",
            "OrphanGraceSeconds", 3600, 900, 2_592_000,
            "a writer's PUT and its UpdateItem happen within one Lambda invocation (900 s at most); 30 days at most");
    public static final NumberSetting ORPHAN_MAX_LISTED = new NumberSetting("ORPHAN_MAX_LISTED",
            "OrphanMaxListedPerRun", 20_000, 1_000, 200_000,
            "up to one consistent GetItem per key listed (a few ms each); the run must end within its 900 s Timeout");
    public static final NumberSetting ORPHAN_MAX_DELETED = new NumberSetting("ORPHAN_MAX_DELETED",
            "OrphanMaxDeletedPerRun", 1_000, 0, 10_000,
            "the response lists every key deleted (Lambda's 6 MB); one DeleteObject each within the 900 s Timeout");
    /** 1: the scheduled collector only reports what it would delete. */
    public static final NumberSetting ORPHAN_DRY_RUN = new NumberSetting("ORPHAN_DRY_RUN",
            "OrphanCollectorDryRun", 0, 0, 1, "0 deletes, 1 only reports");

    /** The numeric settings fed by a template parameter of the same bounds. */
    public static final List<NumberSetting> NUMBERS = List.of(OFFLOAD_THRESHOLD_BYTES, INLINE_MAP_MAX_CHUNKS,
            TARGET_ROWS_PER_CHUNK, PRESIGNED_URL_TTL_SECONDS, PROCESS_CHUNK_RESERVED_CONCURRENCY, JOB_RETENTION_DAYS,
            ORPHAN_GRACE_SECONDS, ORPHAN_MAX_LISTED, ORPHAN_MAX_DELETED, ORPHAN_DRY_RUN);
    /** Every variable name above; the template's function environments use no others (besides JVM options). */
    public static final Set<String> NAMES = Set.of(DATA_BUCKET, JOBS_TABLE, STATE_MACHINE_ARN, TOKEN_SECRET_ARN, DEFAULT_WORKLOAD,
            OFFLOAD_THRESHOLD_BYTES.name(), INLINE_MAP_MAX_CHUNKS.name(), TARGET_ROWS_PER_CHUNK.name(),
            PRESIGNED_URL_TTL_SECONDS.name(), PROCESS_CHUNK_RESERVED_CONCURRENCY.name(), BATCH_TIME_BUDGET_SECONDS.name(),
            JOB_RETENTION_DAYS.name(), ORPHAN_GRACE_SECONDS.name(), ORPHAN_MAX_LISTED.name(), ORPHAN_MAX_DELETED.name(),
            ORPHAN_DRY_RUN.name());

    private Settings() {
    }

    /** A required text variable; {@link InvalidSetting} naming it when unset. */
    public static String require(Env env, String name) {
        return env.get(name).orElseThrow(() -> new InvalidSetting(name, "is not set"));
    }

    /** Whether this environment is a Lambda execution environment (the runtime sets the function name). */
    public static boolean onLambda(Env env) {
        return env.get("AWS_LAMBDA_FUNCTION_NAME").isPresent();
    }
}
