package dev.chunkflow.local.chaos;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.io.S3Io;
import dev.chunkflow.common.Json;
import dev.chunkflow.jobs.JobItem;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.gc.GcRequest;
import dev.chunkflow.jobs.gc.OrphanCollector;
import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.HistoryEvent;
import dev.chunkflow.local.faults.FaultPlan;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.SampleData;
import dev.chunkflow.local.sfn.DeferredBackend;
import dev.chunkflow.local.sfn.ExecutionStore;
import dev.chunkflow.local.sfn.LocalExecutions;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One local stack (its own state dir, S3, DynamoDB, Step Functions endpoint) that runs the campaign's
 * jobs one after another on the same sample data, each under its own {@link FaultPlan}, and reports
 * what each left behind. A failed execution is redriven without faults (as an operator would), at
 * most twice.
 */
final class ChaosWorker implements AutoCloseable {
    static final int MAX_REDRIVES = 2;
    /** StartJob is called by an API client, not by Step Functions: a client retries a 5xx or a dropped connection. */
    static final int START_JOB_TRIES = 4;
    private static final long RUN_TIMEOUT_MINUTES = 10;

    private final LocalStepFunctionsEndpoint sfn;
    private final LocalApp app;
    private final LocalExecutions executions;
    private final String prefix;
    private final PipelineRun.Options runOptions;
    private final JobStore jobs;
    private final Map<String, Map<String, Long>> countersAtSummarize = new ConcurrentHashMap<>();

    ChaosWorker(Path repoRoot, Path stateDir, ChaosOptions o) throws Exception {
        DeferredBackend backend = new DeferredBackend();
        this.sfn = new LocalStepFunctionsEndpoint(backend);
        Map<String, String> params = new LinkedHashMap<>();
        if (o.chunkRows() != null) {
            params.put("TargetRowsPerChunk", String.valueOf(o.chunkRows()));
        }
        LocalApp started;
        try {
            started = LocalApp.start(repoRoot, stateDir, params, Map.of("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString()),
                    0, 0, null, true, o.lambda());
        } catch (RuntimeException e) {
            sfn.close();
            throw e;
        }
        this.app = started;
        ExecutionListener summarizeWatch = new ExecutionListener() {
            @Override
            public void onEvent(String executionName, HistoryEvent event) {
                if ("TaskStateEntered".equals(event.type()) && "Summarize".equals(event.details().path("name").asText())) {
                    countersAtSummarize.computeIfAbsent(executionName, ChaosWorker.this::counters);
                }
            }
        };
        String definition = app.definition(PipelineRun.STATE_MACHINE);
        this.executions = new LocalExecutions(app.stateMachineArn(PipelineRun.STATE_MACHINE), definition,
                PipelineRun.engines(app, o.retryTimeScale(), summarizeWatch), new ExecutionStore(stateDir),
                PipelineRun.statusEvents(app));
        backend.bind(executions);
        this.jobs = JobStore.fromEnv(app.aws().clients());
        Workload workload = WorkloadNames.require(Workloads.installed(),
                app.parameter("DefaultWorkload").orElse(WorkloadNames.BUILT_IN_DEFAULT), "workload");
        this.prefix = PipelineRun.samplePrefix(workload.name(), o.rows(), o.seed());
        SampleData.generateTo(app.aws().s3(), app.bucket(), prefix, workload, o.rows(), o.seed());
        this.runOptions = new PipelineRun.Options(o.rows(), o.seed(), null, o.chunkRows(), null, 10, 10, 0, null,
                o.retryTimeScale(), false);
    }

    /** Runs job {@code jobId} under {@code plan} (then redrives it without faults if it failed). */
    RunObservation run(String jobId, FaultPlan plan) throws Exception {
        app.injectSdkFaults(plan);
        String arn = LocalArns.execution(LocalApp.STACK_NAME + "-" + PipelineRun.STATE_MACHINE, jobId);
        ExecutionResult first;
        try {
            startJob(jobId);
            first = executions.await(arn, RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        } finally {
            plan.disable();
        }
        boolean successBeforeRedrive = false;
        Map<String, String> outputsWhenFailed = null;
        ExecutionResult last = first;
        int redrives = 0;
        while (!"SUCCEEDED".equals(last.status().name()) && redrives < MAX_REDRIVES) {
            if (redrives == 0) {
                successBeforeRedrive = new S3Io(s3()).exists(app.bucket(), RunLayout.successKey(jobId));
                outputsWhenFailed = successBeforeRedrive ? outputs(jobId) : null;
            }
            executions.redriveExecution(arn);
            redrives++;
            last = executions.await(arn, RUN_TIMEOUT_MINUTES, TimeUnit.MINUTES);
        }
        app.injectSdkFaults(null);
        Optional<JobItem> item = jobs.get(jobId);
        List<String> steps = new ArrayList<>();
        item.flatMap(jobs::loadSteps).ifPresent(list -> list.forEach(s -> steps.add(Json.MAPPER.valueToTree(s).toString())));
        Map<String, AttributeValue> attributes = item.map(JobItem::attributes).orElse(Map.of());
        List<String> pointed = pointers(attributes);
        List<String> dangling = new ArrayList<>();
        for (String key : pointed) {
            if (!new S3Io(s3()).exists(app.bucket(), key)) {
                dangling.add(key);
            }
        }
        // What the orphan collector is for: objects under jobs/{job}/ the item does not name. It runs on them
        // (grace 0: the run is over) and whatever it leaves behind is a divergence.
        java.util.Set<String> referenced = item.map(i -> i.objectKeys(app.bucket())).orElse(java.util.Set.of());
        List<String> orphans = unreferenced(jobId, referenced);
        List<String> uncollected = List.of();
        if (!orphans.isEmpty()) {
            OrphanCollector.fromEnv(app.aws().clients())
                    .collect(GcRequest.of(java.time.Instant.now().plusSeconds(60), java.time.Duration.ZERO, false).forJob(jobId));
            uncollected = unreferenced(jobId, referenced);
        }
        return new RunObservation(jobId, first.status().name(), first.error(), successBeforeRedrive, outputsWhenFailed, last.status().name(),
                last.error(), redrives, outputs(jobId), counters(jobId), countersAtSummarize.get(jobId),
                attributes.containsKey(JobItem.STATUS) ? attributes.get(JobItem.STATUS).s() : null, steps, dangling, orphans,
                uncollected, plan.injected());
    }

    private List<String> unreferenced(String jobId, java.util.Set<String> referenced) {
        List<String> out = new ArrayList<>();
        for (S3Object o : s3().listObjectsV2Paginator(b -> b.bucket(app.bucket()).prefix(RunLayout.jobPrefix(jobId))).contents()) {
            if (!referenced.contains(o.key())) {
                out.add(o.key());
            }
        }
        return out;
    }

    private void startJob(String jobId) {
        RuntimeException last = null;
        for (int i = 0; i < START_JOB_TRIES; i++) {
            try {
                PipelineRun.startJob(app, jobId, prefix, runOptions);
                return;
            } catch (FunctionError | IllegalStateException e) {
                last = e;
            }
        }
        throw new IllegalStateException("StartJob failed " + START_JOB_TRIES + " times for job " + jobId + ": " + last, last);
    }

    private S3Client s3() {
        return app.aws().s3();
    }

    /** Every S3 key the item names (string attributes, nested ones included, that look like this bucket's keys). */
    private static List<String> pointers(Map<String, AttributeValue> attributes) {
        List<String> out = new ArrayList<>();
        attributes.values().forEach(v -> collect(v, out));
        return out;
    }

    private static void collect(AttributeValue v, List<String> out) {
        if (v.s() != null && (v.s().startsWith("jobs/") || v.s().startsWith("runs/") || v.s().startsWith("output/"))) {
            out.add(v.s());
        } else if (v.hasM()) {
            v.m().values().forEach(x -> collect(x, out));
        } else if (v.hasL()) {
            v.l().forEach(x -> collect(x, out));
        }
    }

    /** The job item's numeric top-level attributes that count (counters and totals). */
    Map<String, Long> counters(String jobId) {
        Map<String, AttributeValue> item = app.aws().dynamoDb().getItem(b -> b.tableName(app.table()).consistentRead(true)
                .key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))).item();
        Map<String, Long> out = new TreeMap<>();
        if (item == null) {
            return out;
        }
        for (String name : List.of("num_chunks", "chunks_done", "rows_in", "rows_out", "rows_rejected", "duplicates_dropped")) {
            AttributeValue v = item.get(name);
            if (v != null && v.n() != null) {
                out.put(name, Long.parseLong(v.n()));
            }
        }
        return out;
    }

    /** output/{job}/ objects (console.html aside) -> sha256 of their bytes with the job id written as {job}. */
    private Map<String, String> outputs(String jobId) throws Exception {
        String outPrefix = RunLayout.outputPrefix(jobId);
        Map<String, String> out = new TreeMap<>();
        for (S3Object o : s3().listObjectsV2Paginator(b -> b.bucket(app.bucket()).prefix(outPrefix)).contents()) {
            String rel = o.key().substring(outPrefix.length());
            if (rel.equals("console.html")) {
                continue;
            }
            byte[] bytes;
            try (InputStream in = s3().getObject(b -> b.bucket(app.bucket()).key(o.key()))) {
                bytes = in.readAllBytes();
            }
            if (!rel.endsWith(".gz")) {
                bytes = new String(bytes, StandardCharsets.UTF_8).replace(jobId, "{job}").getBytes(StandardCharsets.UTF_8);
            }
            out.put(rel, HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes)));
        }
        return out;
    }

    @Override
    public void close() throws Exception {
        try {
            executions.close();
        } finally {
            try {
                app.close();
            } finally {
                sfn.close();
            }
        }
    }
}
