package dev.chunkflow.pipeline.process;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;

/** What the ETL tasks write to the job record: counters (atomic ADD) and execution steps. */
public interface JobProgress {

    void addCounters(String jobId, Map<String, Long> deltas);

    void appendSteps(String jobId, List<Map<String, Object>> steps);

    /** Appends steps and sets top-level fields (e.g. the final, authoritative totals) in one update. */
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
            public void appendSteps(String jobId, List<Map<String, Object>> steps) {
                store().update(JobUpdate.builder(jobId).appendSteps(steps).build());
            }

            @Override
            public void finish(String jobId, List<Map<String, Object>> steps, Map<String, Object> fields) {
                store().update(JobUpdate.builder(jobId).appendSteps(steps).fields(fields).build());
            }
        };
    }
}
