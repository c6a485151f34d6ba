package dev.chunkflow.local.bench.coldstart;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.local.bench.FanOutPlanning;
import dev.chunkflow.local.bench.BenchContext;
import dev.chunkflow.local.bench.BenchSection;
import dev.chunkflow.local.bench.launch.ColdStartLauncher;
import dev.chunkflow.local.bench.launch.HelloHandler;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.workload.WorkloadNames;

/**
 * Section 5: the deployed artifact's size, and for each function of template.yaml a fresh JVM's time from
 * process start to the first response on a sample event, next to a hello-world {@code RequestHandler}
 * started the same way (the floor).
 *
 * <p>Each start is a new process: {@code java} with the template's {@code JAVA_TOOL_OPTIONS} (given, as
 * Lambda does, in the environment), the Java runtime's own JVM flags, a class path of the deployable jar +
 * aws-lambda-java-serialization (what the runtime brings for POJO handlers) + the launcher package only
 * ({@link LambdaClassPath}), and the function's template environment with local endpoints. {@link JvmLauncher}
 * starts {@link ColdStartLauncher}, which loads the handler, constructs it, invokes it once, writes the
 * response; the clock runs from {@link ProcessBuilder#start()} to the last byte of the response. The handlers
 * do their real work: a small job is first run through the whole local pipeline, so the events
 * ({@link SampleEvents}) name real S3 objects and DynamoDB items; StartJob reaches a Step Functions endpoint on
 * loopback ({@link AcceptingStepFunctions}), ProcessChunk a Secrets Manager endpoint on loopback
 * ({@link FakeSecretsManager}, its token secret). {@link ColdStartReport} writes the section.
 */
public final class ColdStart implements BenchSection {
    static final long ROWS = 3_000;
    static final long SEED = 7;
    static final int CHUNK_ROWS = 1_000;
    static final String JOB_ID = "coldstart-job-0001";
    static final String FAN_OUT_JOB_ID = "coldstart-fanout-0001";
    static final String FLOOR = "floor (hello-world RequestHandler)";

    @Override
    public String key() {
        return "cold_start";
    }

    @Override
    public String title() {
        return "5. Cold start and package size";
    }

    @Override
    public Result run(BenchContext ctx) throws Exception {
        Path jar = ctx.lambdaJar();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("cold_start: " + jar + " is missing; build with mvn package first");
        }
        int runs = (int) ctx.size(7, 3);
        Path dir = ctx.scratch("cold_start");
        Artifact artifact = Artifact.of(jar);
        String classpath = LambdaClassPath.build(dir, jar);
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        // 1. Real data: a small job through the whole local pipeline (StartJob .. Summarize).
        Path state = dir.resolve("state");
        RunReport job = prepareJob(ctx, state, logs);
        String prefix = PipelineRun.samplePrefix(WorkloadNames.BUILT_IN_DEFAULT, ROWS, SEED);
        ctx.say("cold_start: prepared job %s (%d chunks, %d rows) under %s", JOB_ID, job.num_chunks(), job.rows_in(), prefix);
        SampleEvents events = new SampleEvents(ctx.repoRoot(), Files.createDirectories(dir.resolve("events")), prefix,
                (int) job.num_chunks());

        // 2. The services the children talk to: S3 + DynamoDB (same state), Step Functions and Secrets Manager stubs.
        try (FakeSecretsManager secrets = FakeSecretsManager.start();
             LocalStepFunctionsEndpoint sfn = new LocalStepFunctionsEndpoint(new AcceptingStepFunctions());
             LocalApp app = LocalApp.start(ctx.repoRoot(), state, Map.of("TargetRowsPerChunk", String.valueOf(CHUNK_ROWS)),
                     Map.of(), 0, 0, null)) {
            prepareFanOut(app, prefix, tmp, events);
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("AWS_ENDPOINT_URL_S3", app.aws().env().require("AWS_ENDPOINT_URL_S3"));
            endpoints.put("AWS_ENDPOINT_URL_DYNAMODB", app.aws().env().require("AWS_ENDPOINT_URL_DYNAMODB"));
            endpoints.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
            endpoints.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.endpoint());

            List<Target> targets = new ArrayList<>();
            Map<String, String> floorEnv = Target.lambdaEnv("HelloFunction", 1024, Map.of(), endpoints, null);
            String toolOptions = null;
            for (FunctionDef def : app.template().functions().values()) {
                Map<String, String> rendered = def.renderEnvironment(app.resolver());
                toolOptions = rendered.get("JAVA_TOOL_OPTIONS");
                targets.add(new Target(def.logicalId(), def.handler(), def.memorySizeMb(),
                        def.snapStartApplyOn().orElse("None"), Target.lambdaEnv(def.logicalId(), def.memorySizeMb(), rendered, endpoints,
                        def.handler())));
            }
            if (toolOptions != null) {
                floorEnv.put("JAVA_TOOL_OPTIONS", toolOptions);
            }
            Target floor = new Target(FLOOR, HelloHandler.class.getName() + "::handleRequest", 1024, "n/a", floorEnv);
            JvmLauncher launcher = new JvmLauncher(classpath, tmp, logs);

            // 3. Round 0, not timed: one start of each with class loading logged (it also warms the page cache).
            Map<String, ClassLoads> loads = new LinkedHashMap<>();
            loads.put(FLOOR, launcher.classLoads(floor, events.floor(), jar));
            for (Target t : targets) {
                Path ev = events.of(t, 0);
                if (ev != null) {
                    loads.put(t.name(), launcher.classLoads(t, ev, jar));
                }
            }

            // 4. Rounds: floor then every function, interleaved so background load spreads over all of them.
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            samples.put(FLOOR, new ArrayList<>());
            targets.forEach(t -> samples.put(t.name(), new ArrayList<>()));
            for (int round = 1; round <= runs; round++) {
                Sample f = launcher.launch(floor, events.floor(), List.of(), "floor-" + round);
                samples.get(FLOOR).add(f);
                StringBuilder line = new StringBuilder(String.format("floor %d", Math.round(f.ms())));
                for (Target t : targets) {
                    Path ev = events.of(t, round);
                    Sample s = ev == null ? Sample.failed("no sample event for " + t.name())
                            : launcher.launch(t, ev, List.of(), t.name() + "-" + round);
                    samples.get(t.name()).add(s);
                    line.append(String.format(", %s %s", t.name().replace("Function", ""), s.ok() ? Math.round(s.ms()) : "FAILED"));
                }
                ctx.say("cold_start: round %d/%d (ms): %s", round, runs, line);
            }

            return new ColdStartReport(artifact, toolOptions, floor, targets, samples, loads, runs, secrets.calls(), job)
                    .render(ctx.repoRoot());
        }
    }

    /** The job whose objects and items the events name; its function logs go to {@code logs/pipeline.jsonl}. */
    /** The same input planned by the fan-out path (one worker), so ShuffleSplit, PlanPartition and FinishPlan have a job. */
    private static void prepareFanOut(LocalApp app, String prefix, Path spill, SampleEvents events) throws Exception {
        S3Io s3 = new S3Io(app.aws().s3());
        GetChunksService.Settings settings = new GetChunksService.Settings(
                CHUNK_ROWS, 1000, 64L << 20, GetChunksService.Settings.MAX_PARTITIONS, spill, 4);
        FanOutPlanning.plan(s3, app.bucket(), settings, FAN_OUT_JOB_ID, prefix, 1);
        JsonNode splits = Json.readTree(s3.getBytes(app.bucket(),
                RunLayout.splitsKey(FAN_OUT_JOB_ID)));
        JsonNode partitions = Json.readTree(s3.getBytes(app.bucket(),
                RunLayout.partitionsKey(FAN_OUT_JOB_ID)));
        events.fanOut(FAN_OUT_JOB_ID, splits.get(0), partitions.get(0).asInt());
    }

    private static RunReport prepareJob(BenchContext ctx, Path state, Path logs) throws Exception {
        PrintStream functionLogs = new PrintStream(Files.newOutputStream(logs.resolve("pipeline.jsonl")), true, StandardCharsets.UTF_8);
        Log.redirect(functionLogs);
        RunReport job;
        try {
            job = PipelineRun.execute(ctx.repoRoot(), state, new PipelineRun.Options(ROWS, SEED, null, CHUNK_ROWS, null, 4, 10, 0,
                    JOB_ID, 1.0, false), ctx.log());
        } finally {
            Log.redirect(System.err);
            functionLogs.close();
        }
        if (!"SUCCEEDED".equals(job.status()) || job.num_chunks() < 1) {
            throw new IllegalStateException("cold_start: the preparation job did not succeed: " + job.status() + " " + job.error());
        }
        return job;
    }
}
