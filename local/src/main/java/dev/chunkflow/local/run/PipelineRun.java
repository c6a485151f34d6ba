package dev.chunkflow.local.run;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStats;
import dev.chunkflow.local.asl.LimitViolation;
import dev.chunkflow.local.asl.TaskFailure;
import dev.chunkflow.local.asl.TimeSource;
import dev.chunkflow.local.lambda.FaultInjector;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.lambda.LambdaRuntimeOptions;
import dev.chunkflow.local.sfn.CompositeListener;
import dev.chunkflow.local.sfn.ExecutionStore;
import dev.chunkflow.local.sfn.DeferredBackend;
import dev.chunkflow.local.sfn.LocalExecutions;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.Workload;
import dev.chunkflow.workload.WorkloadNames;
import dev.chunkflow.workload.Workloads;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@code chunkflow run}: the whole pipeline on this machine. Sample data (or a folder of CSV files)
 * goes to the embedded S3, the job is started through StartJob (whose SDK client calls the local
 * Step Functions endpoint), the real state machine definition drives the real handlers under the local
 * engine with AWS limits enforced, and the run ends with a summary of what AWS would have seen.
 */
public final class PipelineRun {
    public static final String STATE_MACHINE = "EtlStateMachine";

    /**
     * What {@code run} accepts; null means "the template's default".
     *
     * @param iam whether the template's IAM roles are enforced (on unless {@code --iam off})
     */
    public record Options(long rows, long seed, Path input, Integer chunkRows, Integer inlineThreshold,
                          int concurrency, int batchSize, double faults, String jobId, double retryTimeScale,
                          boolean progress, int s3Port, int dynamoDbPort, boolean iam, LambdaRuntimeOptions lambda,
                          String workload, Integer breakChunk) {
        public Options(long rows, long seed, Path input, Integer chunkRows, Integer inlineThreshold, int concurrency,
                       int batchSize, double faults, String jobId, double retryTimeScale, boolean progress) {
            this(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId, retryTimeScale,
                    progress, 0, 0, true);
        }

        public Options(long rows, long seed, Path input, Integer chunkRows, Integer inlineThreshold, int concurrency,
                       int batchSize, double faults, String jobId, double retryTimeScale, boolean progress,
                       int s3Port, int dynamoDbPort) {
            this(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId, retryTimeScale,
                    progress, s3Port, dynamoDbPort, true);
        }

        public Options(long rows, long seed, Path input, Integer chunkRows, Integer inlineThreshold, int concurrency,
                       int batchSize, double faults, String jobId, double retryTimeScale, boolean progress,
                       int s3Port, int dynamoDbPort, boolean iam) {
            this(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId, retryTimeScale,
                    progress, s3Port, dynamoDbPort, iam, LambdaRuntimeOptions.defaults(), null, null);
        }

        /** The same run with the functions run as {@code l} says (isolation, latency, concurrency). */
        public Options withLambda(LambdaRuntimeOptions l) {
            return new Options(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId,
                    retryTimeScale, progress, s3Port, dynamoDbPort, iam, l, workload, breakChunk);
        }

        /** {@code name} null: the template's DefaultWorkload. */
        public Options withWorkload(String name) {
            return new Options(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId,
                    retryTimeScale, progress, s3Port, dynamoDbPort, iam, lambda, name, breakChunk);
        }

        /**
         * The same run with chunk {@code n}'s ProcessChunk failing with a non-retried error (null: none), to
         * show a redrive; the redrive (another process) runs without it.
         */
        public Options withBreakChunk(Integer n) {
            return new Options(rows, seed, input, chunkRows, inlineThreshold, concurrency, batchSize, faults, jobId,
                    retryTimeScale, progress, s3Port, dynamoDbPort, iam, lambda, workload, n);
        }
    }

    private PipelineRun() {
    }

    public static RunReport execute(Path repoRoot, Path stateDir, Options o, PrintStream err) throws Exception {
        return execute(repoRoot, stateDir, o, err, Map.of());
    }

    /** @param functionEnv extra environment for every function (tests: settings the template does not set) */
    public static RunReport execute(Path repoRoot, Path stateDir, Options o, PrintStream err,
                                    Map<String, String> functionEnv) throws Exception {
        Map<String, String> params = new LinkedHashMap<>();
        if (o.chunkRows() != null) {
            params.put("TargetRowsPerChunk", String.valueOf(o.chunkRows()));
        }
        if (o.inlineThreshold() != null) {
            params.put("InlineMapMaxChunks", String.valueOf(o.inlineThreshold()));
        }
        String jobId = o.jobId() != null ? o.jobId()
                : "run-" + o.seed() + "-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
        FaultInjector faults = o.faults() > 0 ? new FaultInjector(o.faults(), o.seed()) : null;
        return session(repoRoot, stateDir, o, params, functionEnv, faults, (app, executions, mapStates) -> {
            Workload workload = workload(app, o);
            // The data set's prefix does not depend on the job: reruns of the same data compare byte for byte.
            String prefix = o.input() != null ? RunLayout.inputPrefix(datasetName(o.input()))
                    : samplePrefix(workload.name(), o.rows(), o.seed());
            long uploaded = o.input() != null ? uploadFolder(app, o.input(), prefix, workload.format())
                    : SampleData.generateTo(app.aws().s3(), app.bucket(), prefix, workload, o.rows(), o.seed());
            err.printf("chunkflow: %s under s3://%s/%s (%s)%n", o.input() != null ? "uploaded " + uploaded + " files" : "generated " + o.rows() + " rows",
                    app.bucket(), prefix, stateDir.resolve("s3").resolve(app.bucket()).resolve(prefix));
            long start = System.nanoTime();
            String executionArn = startJob(app, jobId, prefix, o);
            err.println("chunkflow: started " + executionArn);
            return finish(app, executions, mapStates, stateDir, jobId, executionArn, start, o.progress(), faults);
        });
    }

    /**
     * {@code chunkflow redrive JOB_ID}: RedriveExecution of the job's execution (its name is the job id),
     * persisted in {@code stateDir} by an earlier {@code run}; the same report as {@code run}. Refused
     * with a clear message when the execution is not redrivable (see {@link LocalExecutions#redriveExecution})
     * or when runs/ (the chunks it would read) may have expired by the RunsRetentionDays lifecycle rule.
     */
    public static RunReport redrive(Path repoRoot, Path stateDir, String jobId, Options o, PrintStream err) throws Exception {
        return session(repoRoot, stateDir, o, Map.of(), Map.of(), null, (app, executions, mapStates) -> {
            String executionArn = dev.chunkflow.local.lambda.LocalArns.execution(LocalApp.STACK_NAME + "-" + STATE_MACHINE, jobId);
            ObjectNode record = executions.store().execution(LocalApp.STACK_NAME + "-" + STATE_MACHINE, jobId)
                    .orElseThrow(() -> new IllegalArgumentException("redrive: no execution of job " + jobId + " in "
                            + executions.store().root() + " (run it first with chunkflow run --job-id " + jobId + ")"));
            requireRunsRetained(app, record, jobId);
            try {
                executions.redriveExecution(executionArn);
            } catch (LocalStepFunctionsEndpoint.ServiceError e) {
                throw new IllegalArgumentException("redrive: " + e.type() + ": " + e.getMessage());
            }
            err.println("chunkflow: redriving " + executionArn);
            return finish(app, executions, mapStates, stateDir, jobId, executionArn, System.nanoTime(), o.progress(), null);
        });
    }

    /** runs/ expires RunsRetentionDays after each object's creation, none of which precedes the execution's start. */
    private static void requireRunsRetained(LocalApp app, ObjectNode record, String jobId) {
        String days = app.template().parameters().get("RunsRetentionDays").defaultValue().orElse("14");
        java.time.Instant started = java.time.Instant.ofEpochMilli(Math.round(record.path("startDate").asDouble() * 1000));
        java.time.Instant expires = started.plus(Duration.ofDays(Long.parseLong(days)));
        if (!java.time.Instant.now().isBefore(expires)) {
            throw new IllegalArgumentException("redrive: job " + jobId + " started at " + started + "; its chunks under "
                    + RunLayout.runPrefix(jobId) + " may have expired (RunsRetentionDays=" + days + ", since " + expires
                    + "), so a redrive could not read them. Start a new job instead.");
        }
    }

    /** What runs inside a session: the app and the executions are up. */
    @FunctionalInterface
    private interface SessionBody {
        RunReport run(LocalApp app, LocalExecutions executions, MapStatesSeen mapStates) throws Exception;
    }

    /** The local stack for one command: the functions' Step Functions endpoint, the app, the executions. */
    private static RunReport session(Path repoRoot, Path stateDir, Options o, Map<String, String> params,
                                     Map<String, String> functionEnv, FaultInjector faults, SessionBody body) throws Exception {
        DeferredBackend backend = new DeferredBackend();
        try (LocalStepFunctionsEndpoint sfn = new LocalStepFunctionsEndpoint(backend);
             LocalApp app = LocalApp.start(repoRoot, stateDir, params,
                     withSfnEndpoint(functionEnv, sfn), o.s3Port(), o.dynamoDbPort(), faults, o.iam(),
                     o.lambda())) {
            String definitionJson = app.definition(STATE_MACHINE);
            MapStatesSeen mapStates = new MapStatesSeen(definitionJson);
            LatencyClock clock = new LatencyClock(scaled(o.retryTimeScale()));
            app.functions().values().forEach(pool -> pool.onInjectedTime(clock::advanceCurrentThread));
            try (LocalExecutions executions = new LocalExecutions(app.stateMachineArn(STATE_MACHINE), definitionJson,
                    engines(app, clock, mapStates, o.breakChunk()),
                    new ExecutionStore(stateDir), statusEvents(app))) {
                backend.bind(executions);
                return body.run(app, executions, mapStates);
            }
        }
    }

    /** Waits for the execution (progress bar on request) and reports on it as {@code run} does. */
    private static RunReport finish(LocalApp app, LocalExecutions executions, MapStatesSeen mapStates, Path stateDir,
                                    String jobId, String executionArn, long start, boolean progress, FaultInjector faults)
            throws Exception {
        ProgressBar bar = progress ? ProgressBar.onStderr() : null;
        ExecutionResult result = waitWithProgress(app, executions, executionArn, jobId, bar);
        long wallMs = Duration.ofNanos(System.nanoTime() - start).toMillis();
        if (bar != null) {
            Map<String, AttributeValue> item = jobItem(app, jobId);
            long total = numChunks(app, jobId, item);
            if (total > 0) {
                bar.update(number(item, "chunks_done"), total, number(item, "rows_in"));
                bar.finish();
            }
        }
        // The report's figures first: the page's GetJob call is not part of the run.
        RunReport report = report(app, mapStates.mode(), jobId, result, wallMs, faults, consolePagePath(app, jobId, stateDir));
        writeConsolePage(app, executions, jobId);
        return report;
    }

    private static Map<String, String> withSfnEndpoint(Map<String, String> functionEnv, LocalStepFunctionsEndpoint sfn) {
        Map<String, String> env = new LinkedHashMap<>(functionEnv);
        env.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
        return env;
    }

    /**
     * The engine of one execution of the app's state machine: the app's functions behind Task states,
     * history recorded, the execution's recorder and {@code also} listening.
     */
    public static java.util.function.Function<ExecutionListener, AslEngine> engines(LocalApp app, double retryTimeScale,
                                                                                    ExecutionListener also) {
        return engines(app, scaled(retryTimeScale), also);
    }

    /** As above, on {@code time} (e.g. a {@link LatencyClock}). */
    static java.util.function.Function<ExecutionListener, AslEngine> engines(LocalApp app, TimeSource time,
                                                                             ExecutionListener also) {
        return engines(app, time, also, null);
    }

    /** As above, chunk {@code breakChunk}'s ProcessChunk failing (null: none). */
    static java.util.function.Function<ExecutionListener, AslEngine> engines(LocalApp app, TimeSource time,
                                                                             ExecutionListener also, Integer breakChunk) {
        return recorder -> AslEngine.builder()
                .lambdaInvoker((fn, payload) -> {
                    if (breakChunk != null) {
                        BrokenChunk.check(fn, payload, breakChunk);
                    }
                    return invoke(app, fn, payload);
                })
                .s3(app.stateMachineS3(STATE_MACHINE))
                .timeSource(time)
                .stateMachineName(LocalApp.STACK_NAME + "-" + STATE_MACHINE)
                .region(dev.chunkflow.local.lambda.LocalArns.REGION)
                .accountId(dev.chunkflow.local.lambda.LocalArns.ACCOUNT)
                .listener(CompositeListener.of(also, recorder))
                .recordHistory(true)
                .build();
    }

    /**
     * EventBridge, emulated: each execution status change goes through the template's rules (JobFailedRule
     * marks the job FAILED, JobRedrivenRule marks it RUNNING again) to their targets.
     */
    public static java.util.function.Consumer<ObjectNode> statusEvents(LocalApp app) {
        dev.chunkflow.local.events.EventRules rules = dev.chunkflow.local.events.EventRules.fromTemplate(app.template(),
                app.resolver(), app::invoke);
        return record -> rules.deliver(dev.chunkflow.local.events.ExecutionStatusChange.event(record, java.time.Instant.now()));
    }

    private static byte[] invoke(LocalApp app, String fn, byte[] payload) {
        try {
            app.authorizeInvoke(STATE_MACHINE, fn);
        } catch (dev.chunkflow.local.iam.IamEnforcement.AccessDenied e) {
            // What Step Functions reports when its role may not invoke the function (lambda:invoke integration).
            throw new TaskFailure("Lambda.AWSLambdaException", e.getMessage() + " (Service: AWSLambda; Status Code: 403;"
                    + " Error Code: AccessDeniedException; Request ID: " + java.util.UUID.randomUUID() + "; Proxy: null)");
        }
        try {
            return app.invoke(fn, payload);
        } catch (FunctionError e) {
            // What Lambda would show in the function's logs and Step Functions in the history:
            // the state machine's Retry/Catch decides what happens next.
            dev.chunkflow.common.Log.warn("function error", "function", dev.chunkflow.local.lambda.LocalArns.functionName(fn),
                    "error", e.errorType(), "detail", abbreviate(String.valueOf(e.getMessage()), 300));
            throw new TaskFailure(e.errorType(), e.causeJson());
        }
    }

    /**
     * The console page of the run's execution, written beside report.html as output/{job_id}/console.html
     * (through S3, like every object of the run).
     */
    private static void writeConsolePage(LocalApp app, LocalExecutions executions, String jobId) {
        var data = dev.chunkflow.local.console.ConsoleData.execution(app, executions, jobId);
        if (data == null) {
            throw new IllegalStateException("the execution of job " + jobId + " is not in the state directory");
        }
        app.aws().s3().putObject(b -> b.bucket(app.bucket()).key(consolePageKey(jobId)).contentType("text/html; charset=utf-8"),
                RequestBody.fromString(dev.chunkflow.local.console.ConsolePage.render(data), StandardCharsets.UTF_8));
    }

    private static String consolePageKey(String jobId) {
        return RunLayout.outputPrefix(jobId) + "console.html";
    }

    private static String consolePagePath(LocalApp app, String jobId, Path stateDir) {
        return stateDir.resolve("s3").resolve(app.bucket()).resolve(consolePageKey(jobId)).toString();
    }

    /** Real time by default; a scale below 1 shortens Wait states and retry intervals for quick local runs. */
    static TimeSource scaled(double scale) {
        TimeSource system = TimeSource.system();
        if (scale == 1.0) {
            return system;
        }
        return new TimeSource() {
            @Override
            public java.time.Instant now() {
                return system.now();
            }

            @Override
            public void sleep(Duration d) throws InterruptedException {
                system.sleep(Duration.ofNanos((long) (d.toNanos() * scale)));
            }
        };
    }

    /** Where a run of generated data puts it: one prefix per workload, row count and seed, whatever the job. */
    public static String samplePrefix(String workload, long rows, long seed) {
        return RunLayout.inputPrefix("sample-" + (workload.equals(WorkloadNames.BUILT_IN_DEFAULT) ? "" : workload + "-")
                + "r" + rows + "-s" + seed);
    }

    private static String datasetName(Path dir) {
        Path name = dir.toAbsolutePath().normalize().getFileName();
        String n = name == null ? "data" : name.toString().replaceAll("[^A-Za-z0-9_.-]", "_");
        return n.isEmpty() ? "data" : n;
    }

    /** The run's workload: {@code --workload}, else the template's DefaultWorkload, as the state machine would pick it. */
    static Workload workload(LocalApp app, Options o) {
        String name = o.workload() != null ? o.workload()
                : app.parameter("DefaultWorkload").orElse(WorkloadNames.BUILT_IN_DEFAULT);
        try {
            return WorkloadNames.require(Workloads.installed(), name, "--workload");
        } catch (dev.chunkflow.common.InvalidInput e) {
            throw new IllegalArgumentException(e.getMessage());
        }
    }

    private static long uploadFolder(LocalApp app, Path dir, String prefix, RecordFormat format) throws IOException {
        if (!Files.isDirectory(dir)) {
            throw new IllegalArgumentException("--input: " + dir + " is not a directory");
        }
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile)
                    .filter(p -> format.accepts(p.getFileName().toString()))
                    .sorted().toList();
        }
        if (files.isEmpty()) {
            throw new IllegalArgumentException("--input: no " + String.join(" or ", format.suffixes()) + " files under " + dir);
        }
        for (Path f : files) {
            String key = prefix + dir.relativize(f).toString().replace('\\', '/');
            app.aws().s3().putObject(b -> b.bucket(app.bucket()).key(key), RequestBody.fromFile(f));
        }
        return files.size();
    }

    /** POST /jobs through the StartJob function, with the API Gateway v2 event API Gateway would send. */
    public static String startJob(LocalApp app, String jobId, String prefix, Options o) {
        ObjectNode body = Json.MAPPER.createObjectNode();
        body.put("job_id", jobId);
        body.putObject("source").put("prefix", prefix);
        if (o.workload() != null) {
            body.put("workload", o.workload());
        }
        if (o.chunkRows() != null) {
            body.put("target_rows_per_chunk", o.chunkRows());
        }
        body.put("max_concurrency", o.concurrency());
        body.put("batch_size", o.batchSize());
        ObjectNode event = Json.MAPPER.createObjectNode();
        event.put("version", "2.0");
        event.put("routeKey", "POST /jobs");
        event.put("rawPath", "/jobs");
        event.put("rawQueryString", "");
        event.putObject("headers").put("content-type", "application/json");
        ObjectNode ctx = event.putObject("requestContext");
        ctx.put("routeKey", "POST /jobs");
        ctx.put("stage", "$default");
        ctx.putObject("http").put("method", "POST").put("path", "/jobs").put("protocol", "HTTP/1.1").put("sourceIp", "127.0.0.1");
        event.put("body", body.toString());
        event.put("isBase64Encoded", false);
        JsonNode response = Json.readTree(app.invoke("StartJobFunction", Json.bytes(event)));
        int status = response.path("statusCode").asInt();
        JsonNode responseBody = Json.readTree(response.path("body").asText("{}").getBytes(StandardCharsets.UTF_8));
        if (status != 202) {
            throw new IllegalStateException("StartJob answered " + status + ": " + responseBody);
        }
        return responseBody.path("execution_arn").asText();
    }

    private static ExecutionResult waitWithProgress(LocalApp app, LocalExecutions executions, String executionArn,
                                                    String jobId, ProgressBar bar) throws Exception {
        long total = 0;
        while (true) {
            try {
                return executions.await(executionArn, 250, TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                if (bar != null) {
                    Map<String, AttributeValue> item = jobItem(app, jobId);
                    if (total == 0) {
                        total = numChunks(app, jobId, item); // 0 while GetChunks is still planning
                    }
                    if (total > 0) {
                        bar.update(number(item, "chunks_done"), total, number(item, "rows_in"));
                    }
                }
            }
        }
    }

    private static Map<String, AttributeValue> jobItem(LocalApp app, String jobId) {
        return app.aws().dynamoDb().getItem(b -> b.tableName(app.table()).consistentRead(true)
                .key(Map.of("job_id", AttributeValue.fromS(jobId)))).item();
    }

    private static long number(Map<String, AttributeValue> item, String name) {
        AttributeValue v = item == null ? null : item.get(name);
        return v == null || v.n() == null ? 0 : Long.parseLong(v.n());
    }

    private static RunReport report(LocalApp app, String mapMode, String jobId, ExecutionResult result,
                                    long wallMs, FaultInjector faults, String consolePage) throws Exception {
        Map<String, AttributeValue> item = jobItem(app, jobId);
        ExecutionStats s = result.stats();
        long numChunks = numChunks(app, jobId, item);
        String stepsKey = item != null && item.containsKey("execution_steps_s3_key") ? item.get("execution_steps_s3_key").s() : null;
        String stepsLocation = stepsKey != null ? "s3" : item != null && item.containsKey("execution_steps") ? "inline" : "none";
        List<String> violations = new ArrayList<>();
        for (LimitViolation v : s.limitViolations()) {
            violations.add(v.message());
        }
        return new RunReport(jobId, result.status().name(), result.error(), result.cause(), numChunks, mapMode,
                number(item, "rows_in"), number(item, "rows_out"), number(item, "rows_rejected"), wallMs,
                s.maxStatePayloadBytes(), s.maxStatePayloadState(), s.maxLambdaRequestBytes(), s.maxLambdaResponseBytes(),
                s.lambdaInvocations(), faults == null ? 0 : faults.injected(), s.historyEvents(), s.maxChildHistoryEvents(),
                s.childExecutions(), violations, "s3://" + app.bucket() + "/" + RunLayout.outputPrefix(jobId), stepsLocation, stepsKey,
                outputSha256(app.aws().s3(), app.bucket(), jobId), functionUsage(app),
                app.awsRequests(), app.iamReport(), consolePage);
    }

    private static Map<String, RunReport.FunctionUsage> functionUsage(LocalApp app) {
        Map<String, RunReport.FunctionUsage> usage = new LinkedHashMap<>();
        app.functions().forEach((name, pool) -> {
            var u = pool.usage();
            if (u.invocations() > 0 || u.throttles() > 0) {
                usage.put(name, new RunReport.FunctionUsage(app.template().functions().get(name).memorySizeMb(),
                        u.invocations(), u.billed_ms(), u.max_ms(), u.environments(), u.timeouts(), u.throttles()));
            }
        });
        return usage;
    }

    /** From the job record, else from the run's manifest; 0 if planning did not finish. */
    private static long numChunks(LocalApp app, String jobId, Map<String, AttributeValue> item) {
        long n = number(item, "num_chunks");
        if (n > 0) {
            return n;
        }
        try {
            JsonNode manifest = Json.readTree(app.aws().s3().getObjectAsBytes(
                    b -> b.bucket(app.bucket()).key(RunLayout.manifestKey(jobId))).asByteArray());
            return manifest.path("num_chunks").asLong(0);
        } catch (RuntimeException e) {
            return 0;
        }
    }

    /** Which Map states ran; their definition says whether that was the inline or the Distributed Map. */
    private static final class MapStatesSeen implements ExecutionListener {
        private final java.util.Set<String> seen = java.util.concurrent.ConcurrentHashMap.newKeySet();
        private final JsonNode definition;

        MapStatesSeen(String definitionJson) {
            this.definition = Json.readTree(definitionJson.getBytes(StandardCharsets.UTF_8));
        }

        @Override
        public void onMapProgress(String mapState, int completed, int failed, int total) {
            seen.add(mapState);
        }

        String mode() {
            if (seen.isEmpty()) {
                return "-";
            }
            for (String state : seen) {
                JsonNode processor = definition.path("States").path(state);
                JsonNode mode = processor.path("ItemProcessor").path("ProcessorConfig").path("Mode");
                if ("DISTRIBUTED".equals(mode.asText())) {
                    return "DISTRIBUTED";
                }
            }
            return "INLINE";
        }
    }

    /** See {@link RunReport}: every part's objects ({@code {part}/part-NNNNN.jsonl.gz}), not summary and report. */
    static String outputSha256(S3Client s3, String bucket, String jobId) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        String prefix = RunLayout.outputPrefix(jobId);
        List<String> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            if (RunLayout.isPartKey(jobId, o.key())) {
                keys.add(o.key());
            }
        }
        keys.sort(String::compareTo);
        for (String key : keys) {
            sha.update(key.substring(prefix.length()).getBytes(StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(key))) {
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                in.transferTo(buf);
                sha.update(buf.toByteArray());
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The summary table {@code run} prints on stdout. */
    public static String summary(RunReport r) {
        StringBuilder b = new StringBuilder();
        b.append(String.format("%n  job               %s%n", r.job_id()));
        b.append(String.format("  status            %s%s%n", r.status(), r.error() == null ? "" : "  (" + r.error() + ")"));
        if (r.cause() != null) {
            b.append(String.format("  cause             %s%n", abbreviate(r.cause(), 300)));
        }
        b.append(String.format("  chunks            %,d  (%s map)%n", r.num_chunks(), r.map_mode()));
        b.append(String.format("  rows in/out/rej   %,d / %,d / %,d%n", r.rows_in(), r.rows_out(), r.rows_rejected()));
        b.append(String.format("  wall time         %.1f s  (%,d rows/s)%n", r.wall_ms() / 1000.0,
                r.wall_ms() == 0 ? 0 : r.rows_in() * 1000 / r.wall_ms()));
        b.append(String.format("  largest state     %,d B  (%.2f%% of %,d)  at %s%n", r.max_state_payload_bytes(),
                pct(r.max_state_payload_bytes(), AwsLimits.SFN_STATE_PAYLOAD_BYTES), AwsLimits.SFN_STATE_PAYLOAD_BYTES,
                r.max_state_payload_state()));
        b.append(String.format("  largest Lambda    request %,d B (%.2f%% of %,d), response %,d B (%.2f%% of %,d)%n",
                r.max_lambda_request_bytes(), pct(r.max_lambda_request_bytes(), AwsLimits.LAMBDA_SYNC_REQUEST_BYTES),
                AwsLimits.LAMBDA_SYNC_REQUEST_BYTES, r.max_lambda_response_bytes(),
                pct(r.max_lambda_response_bytes(), AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES), AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES));
        b.append(String.format("  history events    %,d  (%.1f%% of %,d)%s%n", r.history_events(),
                pct(r.history_events(), AwsLimits.SFN_STANDARD_HISTORY_EVENTS), AwsLimits.SFN_STANDARD_HISTORY_EVENTS,
                r.child_executions() == 0 ? "" : String.format("; %,d child executions, at most %,d events each",
                        r.child_executions(), r.max_child_history_events())));
        b.append(String.format("  Lambda calls      %,d%s%n", r.lambda_invocations(),
                r.injected_faults() == 0 ? "" : String.format("  (%,d injected faults, retried)", r.injected_faults())));
        long timeouts = r.functions().values().stream().mapToLong(RunReport.FunctionUsage::timeouts).sum();
        long throttles = r.functions().values().stream().mapToLong(RunReport.FunctionUsage::throttles).sum();
        if (timeouts > 0 || throttles > 0) {
            b.append(String.format("  Lambda limits     %,d timed out (Sandbox.Timedout), %,d throttled (Lambda.TooManyRequestsException)%n",
                    timeouts, throttles));
        }
        double gbSeconds = 0;
        for (RunReport.FunctionUsage u : r.functions().values()) {
            gbSeconds += u.billed_ms() / 1000.0 * u.memory_mb() / 1024.0;
        }
        long s3Requests = r.aws_requests().entrySet().stream().filter(e -> e.getKey().startsWith("S3."))
                .mapToLong(Map.Entry::getValue).sum();
        long ddbRequests = r.aws_requests().entrySet().stream().filter(e -> e.getKey().startsWith("DynamoDb."))
                .mapToLong(Map.Entry::getValue).sum();
        b.append(String.format("  Lambda GB-s       %,.1f  (local durations x each function's memory; concurrent calls share these cores)%n  AWS requests      S3 %,d, DynamoDB %,d%n",
                gbSeconds, s3Requests, ddbRequests));
        b.append(String.format("  limit violations  %s%n", r.limit_violations().isEmpty() ? "none" : String.join("; ", r.limit_violations())));
        b.append(String.format("  IAM               %s%n", r.iam().verdict()));
        b.append(String.format("  outputs           %s%n", r.output_prefix()));
        b.append(String.format("  execution steps   %s%s%n", r.execution_steps_location(),
                r.execution_steps_key() == null ? "" : "  (" + r.execution_steps_key() + ")"));
        b.append(String.format("  output sha256     %s%n", r.output_sha256()));
        if (r.console_page() != null) {
            b.append(String.format("  console page      %s%n", r.console_page()));
        }
        return b.toString();
    }

    private static double pct(long v, long max) {
        return 100.0 * v / max;
    }

    private static String abbreviate(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "...";
    }
}
