package dev.chunkflow.api;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Creates the job (QUEUED) and starts its execution, named after the job id. Safe to repeat: the job is
 * created only if absent, and Step Functions refuses a second execution with the same name (or returns
 * the running one for an identical input), so a retried or duplicated request never starts a second
 * run; it gets the existing job's answer.
 */
public final class StartJobService {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);
    private static final SecureRandom RANDOM = new SecureRandom();

    /** The outcome: {@code started} is false when the job or its execution already existed. */
    public record Accepted(String jobId, String executionArn, boolean started) {
    }

    private final JobStore jobs;
    private final SfnClient sfn;
    private final String stateMachineArn;

    public StartJobService(JobStore jobs, SfnClient sfn, String stateMachineArn) {
        if (!stateMachineArn.contains(":stateMachine:")) {
            throw new IllegalStateException("STATE_MACHINE_ARN is not a state machine ARN: " + stateMachineArn);
        }
        this.jobs = jobs;
        this.sfn = sfn;
        this.stateMachineArn = stateMachineArn;
    }

    public Accepted start(StartJobRequest request) {
        StartJobRequest req = request.jobId() == null ? request.withJobId(newJobId()) : request;
        String jobId = req.jobId();
        Map<String, Object> input = req.executionInput();
        Map<String, Object> fields = new LinkedHashMap<>();
        fields.put("source", input.get("source"));
        fields.put("request", input);
        boolean created = jobs.createIfAbsent(jobId, fields);
        String arn;
        boolean started;
        try {
            arn = sfn.startExecution(b -> b.stateMachineArn(stateMachineArn).name(jobId).input(Json.string(input)))
                    .executionArn();
            started = true;
        } catch (ExecutionAlreadyExistsException e) {
            arn = executionArn(jobId);
            started = false;
        }
        // A repeat while the execution runs gets the same execution back from Step Functions: the item
        // already names it, and rewriting it would only make concurrent repeats contend for one item.
        if (started && !recorded(jobId, arn)) {
            jobs.update(JobUpdate.builder(jobId).fields(Map.of("execution_arn", arn)).build());
        }
        Log.info("start job", "job_id", jobId, "job_created", created, "execution_started", started);
        return new Accepted(jobId, arn, started && created);
    }

    private boolean recorded(String jobId, String arn) {
        return jobs.get(jobId).map(item -> item.attributes().get("execution_arn"))
                .map(v -> arn.equals(v.s())).orElse(false);
    }

    /** An execution's ARN follows from its state machine's ARN and its name. */
    String executionArn(String name) {
        return stateMachineArn.replaceFirst(":stateMachine:", ":execution:") + ":" + name;
    }

    static String newJobId() {
        byte[] r = new byte[5];
        RANDOM.nextBytes(r);
        return "job-" + ID_TIME.format(Instant.now()) + "-" + HexFormat.of().formatHex(r);
    }
}
