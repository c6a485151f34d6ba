package dev.chunkflow.jobs.gc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.Log;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.jobs.JobItem;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.settings.Settings;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Deletes the objects under {@code jobs/} that no live job item points to: left by a failed delete, by a
 * crash between an object's PUT and the UpdateItem that would have pointed to it, or by an item that
 * expired (TTL). An unreferenced object is deleted only once it is older than the grace period (its
 * writer's UpdateItem may still be on its way), and only after the item is read again right before the
 * delete. Keys under jobs/ are never reused, so an object a version no longer points to is never
 * pointed to again. Work per run is bounded; a bounded run says where the next one continues.
 *
 * <p>Needs s3:ListBucket on jobs/, s3:DeleteObject on jobs/* and dynamodb:GetItem on the table, nothing more.
 */
public final class OrphanCollector {
    private static final int PAGE = 1000;

    private final S3Client s3;
    private final DynamoDbClient ddb;
    private final String bucket;
    private final String table;

    public OrphanCollector(S3Client s3, DynamoDbClient ddb, String bucket, String table) {
        this.s3 = s3;
        this.ddb = ddb;
        this.bucket = bucket;
        this.table = table;
    }

    /** From DATA_BUCKET and JOBS_TABLE in {@code clients.env()}. */
    public static OrphanCollector fromEnv(AwsClients clients) {
        return new OrphanCollector(clients.s3(), clients.dynamoDb(),
                Settings.require(clients.env(), Settings.DATA_BUCKET), Settings.require(clients.env(), Settings.JOBS_TABLE));
    }

    /** Every job, from the start of jobs/, with the default bounds. */
    public GcReport collect(Instant now, Duration grace, boolean dryRun) {
        return collect(GcRequest.of(now, grace, dryRun));
    }

    public GcReport collect(GcRequest request) {
        Run run = new Run(request);
        String prefix = RunLayout.JOBS_PREFIX + request.jobIdPrefix();
        String after = request.startAfter();
        List<S3Object> group = new ArrayList<>();
        String groupJob = null;
        boolean more = true;
        while (more && run.next == null) {
            String from = after;
            int size = Math.min(PAGE, request.maxListed() - run.listed);
            ListObjectsV2Response page = s3.listObjectsV2(b -> b.bucket(bucket).prefix(prefix)
                    .startAfter(from == null || from.isEmpty() ? null : from).maxKeys(size));
            more = Boolean.TRUE.equals(page.isTruncated());
            List<S3Object> contents = page.contents();
            for (int i = 0; i < contents.size(); i++) {
                S3Object o = contents.get(i);
                if (request.endAt() != null && o.key().compareTo(request.endAt()) > 0) {
                    more = false;
                    break;
                }
                String job = RunLayout.jobIdOfJobKey(o.key());
                // keys sort by job: one job's objects are contiguous
                if (!group.isEmpty() && !Objects.equals(job, groupJob) && !run.process(groupJob, group)) {
                    group.clear();
                    break;
                }
                if (!Objects.equals(job, groupJob)) {
                    group.clear();
                    groupJob = job;
                }
                group.add(o);
                run.listed++;
                after = o.key();
                if (run.listed == request.maxListed()) {
                    if (more || i < contents.size() - 1) {
                        run.stopAfterGroup = after;
                    }
                    more = false;
                    break;
                }
            }
        }
        if (!group.isEmpty() && run.process(groupJob, group) && run.next == null) {
            run.next = run.stopAfterGroup;
        }
        GcReport report = run.report();
        Log.info("orphan collection", "dry_run", request.dryRun(), "listed", report.listed(), "referenced", report.referenced(),
                "young", report.young(), request.dryRun() ? "would_delete" : "deleted", report.deleted().size(),
                "gone_jobs", report.goneJobsCount(), "skipped", report.skippedCount(), "next_start_after", report.nextStartAfter());
        return report;
    }

    /** The current item version, if there is one and its TTL has not passed. */
    private Optional<JobItem> liveItem(String jobId, Instant now) {
        Map<String, AttributeValue> item = ddb.getItem(b -> b.tableName(table).consistentRead(true)
                .key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))).item();
        if (item == null || item.isEmpty()) {
            return Optional.empty();
        }
        JobItem j = new JobItem(item);
        return j.expired(now) ? Optional.empty() : Optional.of(j);
    }

    private Set<String> referenced(String jobId, Instant now) {
        return liveItem(jobId, now).map(i -> i.objectKeys(bucket)).orElse(Set.of());
    }

    /** One run's counts and its place in the listing. */
    private final class Run {
        final GcRequest request;
        final Instant cutoff;
        int listed;
        int referenced;
        int young;
        int jobsChecked;
        int skippedCount;
        int goneCount;
        final List<String> skipped = new ArrayList<>();
        final List<String> gone = new ArrayList<>();
        final List<String> deleted = new ArrayList<>();
        /** The last key dealt with (kept or deleted). */
        String lastHandled;
        /** Where the next run continues; set when this one stops early. */
        String next;
        String stopAfterGroup;

        Run(GcRequest request) {
            this.request = request;
            this.cutoff = request.now().minus(request.grace());
        }

        /** Handles one job's listed objects, in key order; false when the delete budget ran out among them. */
        boolean process(String jobId, List<S3Object> objects) {
            if (jobId == null || !JobId.isValid(jobId)) {
                for (S3Object o : objects) {
                    skippedCount++;
                    if (skipped.size() < GcReport.LIST_MAX) {
                        skipped.add(o.key());
                    }
                }
                lastHandled = objects.get(objects.size() - 1).key();
                return true;
            }
            jobsChecked++;
            Optional<JobItem> item = liveItem(jobId, request.now());
            Set<String> refs = item.map(i -> i.objectKeys(bucket)).orElse(Set.of());
            if (item.isEmpty() && goneCount++ < GcReport.LIST_MAX) {
                gone.add(jobId);
            }
            List<S3Object> old = new ArrayList<>();
            for (S3Object o : objects) {
                if (refs.contains(o.key())) {
                    referenced++;
                } else if (o.lastModified().isAfter(cutoff)) {
                    young++;
                } else {
                    old.add(o);
                }
            }
            int deletedBefore = deleted.size();
            try {
                return sweep(jobId, objects, old);
            } finally {
                if (deleted.size() > deletedBefore) {
                    Log.info(request.dryRun() ? "orphans found" : "orphans deleted", "job_id", jobId,
                            "keys", List.copyOf(deleted.subList(deletedBefore, deleted.size())));
                }
            }
        }

        /** Deletes the old unreferenced objects of one job that its item, read again now, does not point to. */
        private boolean sweep(String jobId, List<S3Object> objects, List<S3Object> old) {
            if (!old.isEmpty()) {
                // The item again, right before deleting: what a version committed since the first read points to stays.
                Set<String> current = referenced(jobId, request.now());
                for (S3Object o : objects) {
                    if (!old.contains(o)) {
                        lastHandled = o.key();
                        continue;
                    }
                    if (current.contains(o.key())) {
                        referenced++;
                        lastHandled = o.key();
                        continue;
                    }
                    if (deleted.size() >= request.maxDeleted()) {
                        next = lastHandled != null ? lastHandled : request.startAfter() != null ? request.startAfter() : "";
                        return false;
                    }
                    if (!request.dryRun()) {
                        s3.deleteObject(b -> b.bucket(bucket).key(o.key()));
                    }
                    deleted.add(o.key());
                    lastHandled = o.key();
                }
            }
            lastHandled = objects.get(objects.size() - 1).key();
            return true;
        }

        GcReport report() {
            return new GcReport(request.dryRun(), listed, referenced, young, skippedCount, List.copyOf(skipped), jobsChecked,
                    goneCount, List.copyOf(gone), List.copyOf(deleted), next);
        }
    }
}
