package dev.chunkflow.jobs.gc;

import java.time.Duration;
import java.time.Instant;

import dev.chunkflow.settings.Settings;

/**
 * One run of the {@link OrphanCollector}.
 *
 * @param now         the time the run judges ages and TTLs by
 * @param grace       an unreferenced object younger than this is kept: its writer's UpdateItem may not have landed yet
 * @param dryRun      report what would be deleted, delete nothing
 * @param maxListed   keys listed at most (the run stops there and says where to continue)
 * @param maxDeleted  objects deleted (or, in a dry run, reported) at most
 * @param startAfter  continue after this key (a previous report's {@code next_start_after}); null: from the start
 * @param endAt       stop after this key (inclusive); null: the end of the prefix
 * @param jobIdPrefix only jobs whose id starts with this ("" for all; a whole job id plus "/" for one job)
 */
public record GcRequest(Instant now, Duration grace, boolean dryRun, int maxListed, int maxDeleted,
                        String startAfter, String endAt, String jobIdPrefix) {
    public static final Duration DEFAULT_GRACE = Duration.ofSeconds(Settings.ORPHAN_GRACE_SECONDS.defaultValue());
    public static final int DEFAULT_MAX_LISTED = (int) Settings.ORPHAN_MAX_LISTED.defaultValue();
    public static final int DEFAULT_MAX_DELETED = (int) Settings.ORPHAN_MAX_DELETED.defaultValue();

    public GcRequest {
        if (now == null || grace == null || grace.isNegative()) {
            throw new IllegalArgumentException("now and a non-negative grace are required");
        }
        if (maxListed < 1 || maxDeleted < 0) {
            throw new IllegalArgumentException("maxListed must be >= 1 and maxDeleted >= 0");
        }
        jobIdPrefix = jobIdPrefix == null ? "" : jobIdPrefix;
    }

    /** Every job, from the start, with the default bounds. */
    public static GcRequest of(Instant now, Duration grace, boolean dryRun) {
        return new GcRequest(now, grace, dryRun, DEFAULT_MAX_LISTED, DEFAULT_MAX_DELETED, null, null, "");
    }

    public GcRequest withBounds(int listed, int deleted) {
        return new GcRequest(now, grace, dryRun, listed, deleted, startAfter, endAt, jobIdPrefix);
    }

    public GcRequest withStartAfter(String key) {
        return new GcRequest(now, grace, dryRun, maxListed, maxDeleted, key, endAt, jobIdPrefix);
    }

    public GcRequest withEndAt(String key) {
        return new GcRequest(now, grace, dryRun, maxListed, maxDeleted, startAfter, key, jobIdPrefix);
    }

    /** Only the objects of one job ({@code jobs/{job_id}/}). */
    public GcRequest forJob(String jobId) {
        return withJobIdPrefix(jobId + "/");
    }

    public GcRequest withJobIdPrefix(String prefix) {
        return new GcRequest(now, grace, dryRun, maxListed, maxDeleted, startAfter, endAt, prefix);
    }
}
