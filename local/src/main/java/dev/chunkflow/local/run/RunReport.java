package dev.chunkflow.local.run;

import java.util.List;
import java.util.Map;

/**
 * The figures of one {@code chunkflow run}, as printed in its summary table and written by
 * {@code --report FILE}. {@code output_sha256} is the SHA-256 over the run's data outputs
 * (visits, daily and rejects parts) in key order, each as its key relative to {@code output/{job_id}/}
 * followed by its bytes, so two runs of the same data compare equal whatever their job ids.
 * {@code iam} lists, per function and state machine, the grants used, the calls denied and the grants
 * never used (see {@link dev.chunkflow.local.iam.IamReport}).
 */
public record RunReport(
        String job_id,
        String status,
        String error,
        String cause,
        long num_chunks,
        String map_mode,
        long rows_in,
        long rows_out,
        long rows_rejected,
        long wall_ms,
        long max_state_payload_bytes,
        String max_state_payload_state,
        long max_lambda_request_bytes,
        long max_lambda_response_bytes,
        long lambda_invocations,
        long injected_faults,
        int history_events,
        int max_child_history_events,
        int child_executions,
        List<String> limit_violations,
        String output_prefix,
        String execution_steps_location,
        String execution_steps_key,
        String output_sha256,
        Map<String, FunctionUsage> functions,
        Map<String, Long> aws_requests,
        dev.chunkflow.local.iam.IamReport iam,
        String console_page) {

    /**
     * One function's invocations in the run, with its configured memory (what Lambda bills GB-s on), the
     * invocations that ran past its Timeout and those refused over a concurrency limit (not invocations).
     */
    public record FunctionUsage(int memory_mb, long invocations, long billed_ms, long max_ms, int environments,
                                long timeouts, long throttles) {
    }
}
