package dev.chunkflow.jobs.gc;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one collector run saw and did. {@code deleted} lists the keys deleted (in a dry run: those that
 * would be); {@code nextStartAfter} is where a bounded run stopped (null when it reached the end).
 *
 * @param listed        keys listed under jobs/
 * @param referenced    listed keys a live item version points to (kept)
 * @param young         unreferenced keys younger than the grace period (kept)
 * @param skipped       keys that are not {@code jobs/{valid job id}/...} (kept: not the job store's); the first
 *                      {@value #LIST_MAX} of {@code skippedCount}
 * @param jobsChecked   job items read
 * @param goneJobs   jobs whose item is gone or past its expires_at, with objects under jobs/
 */
public record GcReport(boolean dryRun, int listed, int referenced, int young, int skippedCount, List<String> skipped,
                       int jobsChecked, int goneJobsCount, List<String> goneJobs, List<String> deleted, String nextStartAfter) {
    /**
     * Lists that grow with what was listed stop here (the counts go on): the report is the function's
     * response, within Lambda's 6 MB. {@code deleted} is bounded by the delete budget instead.
     */
    public static final int LIST_MAX = 1_000;

    public boolean complete() {
        return nextStartAfter == null;
    }

    /** This run followed by {@code next} (a continuation of it). */
    public GcReport plus(GcReport next) {
        return new GcReport(dryRun, listed + next.listed, referenced + next.referenced, young + next.young,
                skippedCount + next.skippedCount, capped(concat(skipped, next.skipped)), jobsChecked + next.jobsChecked,
                goneJobsCount + next.goneJobsCount, capped(concat(goneJobs, next.goneJobs)), concat(deleted, next.deleted),
                next.nextStartAfter);
    }

    /** The report as the collector's function returns it (snake_case JSON). */
    public Map<String, Object> toJson() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("dry_run", dryRun);
        out.put("listed", listed);
        out.put("referenced", referenced);
        out.put("young", young);
        out.put(dryRun ? "would_delete_count" : "deleted_count", deleted.size());
        out.put(dryRun ? "would_delete" : "deleted", deleted);
        out.put("skipped_count", skippedCount);
        out.put("skipped", skipped);
        out.put("jobs_checked", jobsChecked);
        out.put("gone_jobs_count", goneJobsCount);
        out.put("gone_jobs", goneJobs);
        out.put("complete", complete());
        out.put("next_start_after", nextStartAfter);
        return out;
    }

    static List<String> capped(List<String> list) {
        return list.size() <= LIST_MAX ? list : List.copyOf(list.subList(0, LIST_MAX));
    }

    private static List<String> concat(List<String> a, List<String> b) {
        List<String> out = new ArrayList<>(a);
        out.addAll(b);
        return List.copyOf(out);
    }
}
