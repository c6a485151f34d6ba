package dev.chunkflow.pipeline.process;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;

/** What the ETL tasks write to the job record: counters (atomic ADD) and execution steps. */
public interface JobProgress {

    void addCounters(String jobId, Map<String, Long> deltas);

    /** Adds chunk {@code chunkId}'s counters unless they were added already; true if this call added them. */
    boolean addChunkCountersOnce(String jobId, int chunkId, Map<String, Long> deltas);

    /** Chunk {@code chunkId}'s result object exists, so its counters need no guard any more. */
    void chunkCounted(String jobId, int chunkId);

    void appendSteps(String jobId, List<Map<String, Object>> steps);

    /**
     * Appends steps and sets top-level fields (e.g. the final, authoritative totals) in one update, once:
     * the update's id is derived from its content, so a retried task that repeats it after it was applied
     * (a crash right after the write, a timeout on an applied write) does not append the steps again.
     */
    void finish(String jobId, List<Map<String, Object>> steps, Map<String, Object> fields);

    /** Through the job store, built on first use (a handler's constructor does no I/O). */
    static JobProgress of(Supplier<JobStore> storeFactory) {
        return new JobProgress() {
            private volatile JobStore store;

            private JobStore store() {
                JobStore s = store;
                if (s == null) {
                    synchronized (this) {
                        if (store == null) {
                            store = storeFactory.get();
                        }
                        s = store;
                    }
                }
                return s;
            }

            @Override
            public void addCounters(String jobId, Map<String, Long> deltas) {
                store().addCounters(jobId, deltas);
            }

            @Override
            public boolean addChunkCountersOnce(String jobId, int chunkId, Map<String, Long> deltas) {
                return store().chunkCounters().addOnce(jobId, chunkId, deltas);
            }

            @Override
            public void chunkCounted(String jobId, int chunkId) {
                store().chunkCounters().done(jobId, chunkId);
            }

            @Override
            public void appendSteps(String jobId, List<Map<String, Object>> steps) {
                store().update(JobUpdate.builder(jobId).appendSteps(steps).build());
            }

            @Override
            public void finish(String jobId, List<Map<String, Object>> steps, Map<String, Object> fields) {
                // A redrive re-runs a task that may have recorded its steps before it failed: steps already on
                // the record are not appended again (other updates, e.g. FAILED then RUNNING, came in between).
                java.util.Set<String> recorded = new java.util.HashSet<>();
                store().get(jobId).flatMap(store()::loadSteps).ifPresent(list -> list.forEach(step -> recorded.add(canonical(step))));
                List<Map<String, Object>> missing = steps.stream().filter(step -> !recorded.contains(canonical(step))).toList();
                store().update(JobUpdate.builder(jobId).appendSteps(missing.isEmpty() ? null : missing).fields(fields)
                        .updateId("finish-" + contentId(steps, fields)).build());
            }
        };
    }

    /** A step as JSON text, parsed and written again so that 5 and 5L compare equal. */
    private static String canonical(Object step) {
        return dev.chunkflow.common.Json.readTree(dev.chunkflow.common.Json.bytes(step)).toString();
    }

    private static String contentId(Object... parts) {
        try {
            java.security.MessageDigest sha = java.security.MessageDigest.getInstance("SHA-256");
            for (Object part : parts) {
                sha.update(dev.chunkflow.common.Json.bytes(part));
            }
            return java.util.HexFormat.of().formatHex(sha.digest(), 0, 12);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
