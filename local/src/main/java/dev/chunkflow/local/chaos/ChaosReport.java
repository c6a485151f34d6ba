package dev.chunkflow.local.chaos;

import java.util.List;

/**
 * What {@code chunkflow chaos --report FILE} writes (JSON, snake_case as the other reports).
 *
 * @param crash_points   (invocation, SDK call) pairs the clean run made: every place a crash can hit
 * @param points_total   crash points times the fault kinds that apply at each
 * @param points_tried   of those, tried in this campaign (all, or the sample)
 * @param runs           faulted runs made (points mode: one per point tried)
 * @param redriven       runs whose execution failed and was redriven
 * @param divergent      every invariant a run broke (empty: nothing diverged)
 * @param orphans        objects under jobs/{job}/ no item points to, which the orphan collector must delete
 */
public record ChaosReport(String mode, long rows, Integer chunk_rows, long num_chunks, long seed, long fault_seed, double rate,
                          String scope, String isolation, int crash_points, int points_total, int points_tried, int runs,
                          int redriven, long faults_injected, double wall_seconds, List<String> invariants,
                          List<Divergence> divergent, List<Orphans> orphans, List<String> crash_point_list) {

    /** One broken invariant: which run, at which point with which fault, and what broke. */
    public record Divergence(int run, String job_id, String point, String fault, String invariant, List<String> injected) {
    }

    public record Orphans(String job_id, String point, String fault, List<String> keys) {
    }
}
