package dev.chunkflow.local.chaos;

import java.util.List;
import java.util.Map;

/**
 * What one run left behind, for the invariants.
 *
 * @param firstStatus     the execution's status before any redrive
 * @param firstError      its error when it failed
 * @param successBeforeRedrive whether {@code _SUCCESS} existed while the first execution had failed
 * @param outputsWhenFailed    then, the outputs (as {@code outputs}); null when there was no _SUCCESS
 * @param finalStatus     the status after the campaign's redrives
 * @param redrives        redrives made
 * @param outputs         output/{job}/ object (relative key) -> sha256 of its bytes with the job id replaced
 * @param counters        the job item's counters at the end
 * @param liveCounters    the job item's counters when Summarize started (null if it never did)
 * @param jobStatus       the job item's status
 * @param steps           the job's execution steps (inline or offloaded), as JSON text each
 * @param dangling        S3 keys the item points to that do not exist
 * @param orphans         objects under jobs/{job}/ the item does not point to
 * @param uncollected     of those, what the orphan collector left behind
 * @param injected        the faults injected, one line each
 */
public record RunObservation(String jobId, String firstStatus, String firstError, boolean successBeforeRedrive,
                             Map<String, String> outputsWhenFailed,
                             String finalStatus, String finalError, int redrives, Map<String, String> outputs,
                             Map<String, Long> counters, Map<String, Long> liveCounters, String jobStatus,
                             List<String> steps, List<String> dangling, List<String> orphans, List<String> uncollected,
                             List<String> injected) {
}
