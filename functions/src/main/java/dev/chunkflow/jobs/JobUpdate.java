package dev.chunkflow.jobs;

import java.util.List;
import java.util.Map;

/**
 * One change to a job record. Every part is optional (null = leave as is).
 *
 * @param jobId       the job, validated before use
 * @param status      new status (QUEUED, RUNNING, SUCCEEDED, FAILED)
 * @param appendSteps steps appended to execution_steps (merged on retry, never lost)
 * @param setSteps    replaces execution_steps entirely
 * @param counters    atomic ADD deltas (num_chunks, chunks_done, rows_in, rows_out, rows_rejected, ...)
 * @param error       {error, cause}
 * @param fields      other top-level attributes to set (large ones are offloaded to S3)
 * @param updateId    identifies the update (null: a random id): an update whose id is the item's last applied
 *                    one is not applied again, so a task retried after its write landed does not repeat it
 */
public record JobUpdate(
        String jobId,
        String status,
        List<Map<String, Object>> appendSteps,
        List<Map<String, Object>> setSteps,
        Map<String, Long> counters,
        Map<String, Object> error,
        Map<String, Object> fields,
        String updateId) {

    public static Builder builder(String jobId) {
        return new Builder(jobId);
    }

    public static final class Builder {
        private final String jobId;
        private String status;
        private List<Map<String, Object>> appendSteps;
        private List<Map<String, Object>> setSteps;
        private Map<String, Long> counters;
        private Map<String, Object> error;
        private Map<String, Object> fields;
        private String updateId;

        private Builder(String jobId) {
            this.jobId = jobId;
        }

        public Builder status(String v) { this.status = v; return this; }
        public Builder appendSteps(List<Map<String, Object>> v) { this.appendSteps = v; return this; }
        public Builder setSteps(List<Map<String, Object>> v) { this.setSteps = v; return this; }
        public Builder counters(Map<String, Long> v) { this.counters = v; return this; }
        public Builder error(Map<String, Object> v) { this.error = v; return this; }
        public Builder fields(Map<String, Object> v) { this.fields = v; return this; }
        public Builder updateId(String v) { this.updateId = v; return this; }

        public JobUpdate build() {
            return new JobUpdate(jobId, status, appendSteps, setSteps, counters, error, fields, updateId);
        }
    }
}
