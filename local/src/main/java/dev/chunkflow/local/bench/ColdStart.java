package dev.chunkflow.local.bench;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.bench.launch.ColdStartLauncher;
import dev.chunkflow.local.bench.launch.HelloHandler;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.run.RunReport;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.testkit.EmbeddedS3;

/**
 * Section 5: the deployed artifact's size, and for each function of template.yaml a fresh JVM's time from
 * process start to the first response on a sample event, next to a hello-world {@code RequestHandler}
 * started the same way (the floor).
 *
 * <p>Each start is a new process: {@code java} with the template's {@code JAVA_TOOL_OPTIONS} (given, as
 * Lambda does, in the environment), the Java runtime's own JVM flags, a class path of the deployable jar +
 * aws-lambda-java-serialization (what the runtime brings for POJO handlers) + the launcher package only,
 * and the function's template environment with local endpoints. {@link ColdStartLauncher} loads the
 * handler, constructs it, invokes it once, writes the response; the clock runs from
 * {@link ProcessBuilder#start()} to the last byte of the response. The handlers do their real work: a small
 * job is first run through the whole local pipeline, so the events (copies of {@code events/*.json} with
 * its job id and prefix) name real S3 objects and DynamoDB items; StartJob reaches a Step Functions
 * endpoint on loopback, ProcessChunk a Secrets Manager endpoint on loopback (its token secret).
 */
final class ColdStart implements BenchSection {
    static final long ROWS = 3_000;
    static final int CHUNK_ROWS = 1_000;
    static final String JOB_ID = "coldstart-job-0001";
    static final long ARTIFACT_TARGET_BYTES = 15_000_000;
    static final double RATIO_TARGET = 2.5;
    static final String FLOOR = "floor (hello-world RequestHandler)";
    static final String LOCAL_SECRET = "cold-start-benchmark-secret-0123456789";
    /** What the Lambda Java runtime puts on its own command line (besides heap sizing from the memory setting). */
    static final List<String> RUNTIME_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");
    /** One heap for every start (the 1024 MB default of the template; start-up does not depend on it). */
    static final String HEAP_FLAG = "-XX:MaxHeapSize=870m";
    /** USER_HZ of /proc/self/stat on Linux. */
    static final int CLOCK_TICKS_PER_SECOND = 100;

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
        long artifactBytes = Files.size(jar);
        Composition composition = Composition.of(jar);

        Path launcherDir = extract(dir.resolve("launcher"), ColdStartLauncher.class,
                name -> name.startsWith("dev/chunkflow/local/bench/launch/"));
        Path runtimeJar = runtimeJar(dir.resolve("runtime/aws-lambda-java-serialization.jar"));
        String classpath = jar + File.pathSeparator + launcherDir + File.pathSeparator + runtimeJar;
        Path events = Files.createDirectories(dir.resolve("events"));
        Path logs = Files.createDirectories(dir.resolve("logs"));
        Path tmp = Files.createDirectories(dir.resolve("tmp"));

        // 1. Real data: a small job through the whole local pipeline (StartJob .. Summarize).
        Path state = dir.resolve("state");
        PrintStream functionLogs = new PrintStream(Files.newOutputStream(logs.resolve("pipeline.jsonl")), true, StandardCharsets.UTF_8);
        Log.redirect(functionLogs);
        RunReport job;
        try {
            job = PipelineRun.execute(ctx.repoRoot(), state, new PipelineRun.Options(ROWS, 7, null, CHUNK_ROWS, null, 4, 10, 0,
                    JOB_ID, 1.0, false), ctx.log());
        } finally {
            Log.redirect(System.err);
            functionLogs.close();
        }
        if (!"SUCCEEDED".equals(job.status()) || job.num_chunks() < 1) {
            throw new IllegalStateException("cold_start: the preparation job did not succeed: " + job.status() + " " + job.error());
        }
        String prefix = "input/sample-r" + ROWS + "-s7/";
        ctx.say("cold_start: prepared job %s (%d chunks, %d rows) under %s", JOB_ID, job.num_chunks(), job.rows_in(), prefix);

        // 2. The services the children talk to: S3 + DynamoDB (same state), Step Functions and Secrets Manager stubs.
        AtomicInteger secretCalls = new AtomicInteger();
        HttpServer secrets = secretEndpoint(secretCalls);
        try (LocalStepFunctionsEndpoint sfn = new LocalStepFunctionsEndpoint(new AcceptingBackend());
             LocalApp app = LocalApp.start(ctx.repoRoot(), state, Map.of("TargetRowsPerChunk", String.valueOf(CHUNK_ROWS)),
                     Map.of(), 0, 0, null)) {
            String secretUrl = "http://127.0.0.1:" + secrets.getAddress().getPort();
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("AWS_ENDPOINT_URL_S3", app.aws().env().require("AWS_ENDPOINT_URL_S3"));
            endpoints.put("AWS_ENDPOINT_URL_DYNAMODB", app.aws().env().require("AWS_ENDPOINT_URL_DYNAMODB"));
            endpoints.put("AWS_ENDPOINT_URL_SFN", sfn.endpoint().toString());
            endpoints.put("AWS_ENDPOINT_URL_SECRETS_MANAGER", secretUrl);

            List<Target> targets = new ArrayList<>();
            Map<String, String> floorEnv = lambdaEnv("HelloFunction", 1024, Map.of(), endpoints, null);
            String toolOptions = null;
            for (FunctionDef def : app.template().functions().values()) {
                Map<String, String> rendered = def.renderEnvironment(app.resolver());
                toolOptions = rendered.get("JAVA_TOOL_OPTIONS");
                targets.add(new Target(def.logicalId(), def.handler(), def.memorySizeMb(),
                        def.snapStartApplyOn().orElse("None"), lambdaEnv(def.logicalId(), def.memorySizeMb(), rendered, endpoints,
                        def.handler())));
            }
            if (toolOptions != null) {
                floorEnv.put("JAVA_TOOL_OPTIONS", toolOptions);
            }
            Target floor = new Target(FLOOR, HelloHandler.class.getName() + "::handleRequest", 1024, "n/a", floorEnv);
            Launcher launcher = new Launcher(classpath, tmp, logs);

            // 3. Round 0, not timed: one start of each with class loading logged (it also warms the page cache).
            Map<String, ClassLoads> loads = new LinkedHashMap<>();
            loads.put(FLOOR, launcher.classLoads(floor, floorEvent(events), jar));
            for (Target t : targets) {
                Path ev = event(ctx.repoRoot(), events, t, 0, prefix, (int) job.num_chunks());
                if (ev != null) {
                    loads.put(t.name, launcher.classLoads(t, ev, jar));
                }
            }

            // 4. Rounds: floor then every function, interleaved so background load spreads over all of them.
            Map<String, List<Sample>> samples = new LinkedHashMap<>();
            samples.put(FLOOR, new ArrayList<>());
            targets.forEach(t -> samples.put(t.name, new ArrayList<>()));
            for (int round = 1; round <= runs; round++) {
                Sample f = launcher.launch(floor, floorEvent(events), List.of(), "floor-" + round);
                samples.get(FLOOR).add(f);
                StringBuilder line = new StringBuilder(String.format("floor %d", Math.round(f.ms)));
                for (Target t : targets) {
                    Path ev = event(ctx.repoRoot(), events, t, round, prefix, (int) job.num_chunks());
                    Sample s = ev == null ? Sample.failed("no sample event for " + t.name) : launcher.launch(t, ev, List.of(), t.name + "-" + round);
                    samples.get(t.name).add(s);
                    line.append(String.format(", %s %s", t.name.replace("Function", ""), s.ok() ? Math.round(s.ms) : "FAILED"));
                }
                ctx.say("cold_start: round %d/%d (ms): %s", round, runs, line);
            }

            return report(ctx, jar, artifactBytes, composition, runs, toolOptions, floor, targets, samples, loads,
                    secretCalls.get(), job);
        } finally {
            secrets.stop(0);
        }
    }

    // ------------------------------------------------------------------ environment and events

    record Target(String name, String handler, int memoryMb, String snapStart, Map<String, String> env) {
    }

    /** What a Lambda execution environment holds: the template's variables, Lambda's own, local endpoints, credentials. */
    static Map<String, String> lambdaEnv(String function, int memoryMb, Map<String, String> template, Map<String, String> endpoints,
                                         String handler) {
        Map<String, String> env = new TreeMap<>(template);
        env.putAll(endpoints);
        env.put("AWS_REGION", LocalArns.REGION);
        env.put("AWS_DEFAULT_REGION", LocalArns.REGION);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        if (handler != null) {
            env.put("_HANDLER", handler);
        }
        return env;
    }

    static Path floorEvent(Path dir) throws IOException {
        Path p = dir.resolve("floor.json");
        if (!Files.exists(p)) {
            Files.writeString(p, "{\"name\": \"cold start\"}");
        }
        return p;
    }

    /** A copy of the function's sample event from {@code events/}, pointed at the prepared job (or a fresh one per round). */
    static Path event(Path repo, Path dir, Target t, int round, String prefix, int numChunks) throws IOException {
        String startedJob = "coldstart-start-" + round;
        ObjectNode e;
        switch (t.name) {
            case "StartJobFunction" -> {
                e = (ObjectNode) read(repo, "start-job.json");
                ObjectNode body = (ObjectNode) Json.readTree(e.path("body").asText().getBytes(StandardCharsets.UTF_8));
                body.put("job_id", startedJob);
                ((ObjectNode) body.path("source")).put("prefix", prefix);
                body.put("target_rows_per_chunk", CHUNK_ROWS);
                e.put("body", body.toString());
            }
            case "GetJobFunction" -> {
                e = (ObjectNode) read(repo, "get-job.json");
                e.put("rawPath", "/jobs/" + JOB_ID);
                ((ObjectNode) e.path("pathParameters")).put("job_id", JOB_ID);
                ((ObjectNode) e.path("requestContext").path("http")).put("path", "/jobs/" + JOB_ID);
            }
            case "UpdateJobFunction" -> {
                e = (ObjectNode) read(repo, "update-job-running.json");
                e.put("job_id", startedJob);
                ((ObjectNode) e.path("fields")).put("execution_arn", AcceptingBackend.ARN_PREFIX + startedJob);
            }
            case "GetChunksFunction" -> {
                e = (ObjectNode) read(repo, "get-chunks.json");
                e.put("job_id", "coldstart-chunks-" + round);
                ((ObjectNode) e.path("source")).put("prefix", prefix);
                e.put("target_rows_per_chunk", CHUNK_ROWS);
            }
            case "ProcessChunkFunction" -> {
                e = (ObjectNode) read(repo, "process-chunk.json");
                e.put("job_id", JOB_ID);
                e.put("chunk_id", round % numChunks);
            }
            case "SummarizeFunction" -> {
                e = (ObjectNode) read(repo, "summarize.json");
                e.put("job_id", JOB_ID);
            }
            case "OrphanCollectorFunction" -> {
                // the scheduled event, as a dry run: the same listing and reads, nothing deleted
                e = (ObjectNode) read(repo, "orphan-collector.json");
                e.put("dry_run", true);
            }
            default -> {
                return null;
            }
        }
        Path p = dir.resolve(t.name + "-" + round + ".json");
        Files.write(p, Json.bytes(e));
        return p;
    }

    private static JsonNode read(Path repo, String name) throws IOException {
        return Json.readTree(Files.readAllBytes(repo.resolve("events").resolve(name)));
    }

    /** What a response must look like to count: a 2xx API response, a task result without an error, the floor's greeting. */
    static String check(String target, byte[] response) {
        if (target.equals(FLOOR)) {
            String s = new String(response, StandardCharsets.UTF_8);
            return s.equals("\"hello, cold start\"") ? null : "unexpected floor response " + s;
        }
        JsonNode r;
        try {
            r = Json.readTree(response);
        } catch (RuntimeException e) {
            return "response is not JSON";
        }
        if (!r.isObject()) {
            return "response is not a JSON object";
        }
        if (r.has("errorType")) {
            return r.path("errorType").asText() + ": " + r.path("errorMessage").asText();
        }
        if (r.has("statusCode")) {
            int status = r.path("statusCode").asInt();
            return status >= 200 && status < 300 ? null : "HTTP " + status + " " + r.path("body").asText();
        }
        String expected = switch (target) {
            case "UpdateJobFunction" -> "version";
            case "GetChunksFunction" -> "num_chunks";
            case "ProcessChunkFunction" -> "rows_out";
            case "SummarizeFunction" -> "summary_key";
            default -> null;
        };
        return expected == null || r.has(expected) ? null : "response lacks " + expected + ": " + r;
    }

    // ------------------------------------------------------------------ starting JVMs

    record Sample(double ms, String error, long classes, long spawnToJvm, long jvmToMain, long init, long invoke, double cpuMs) {
        static Sample failed(String error) {
            return new Sample(-1, error, -1, -1, -1, -1, -1, -1);
        }

        boolean ok() {
            return error == null;
        }
    }

    /** One start's class loading; {@code serviceMetadataMs}: the SDK loading the metadata classes of every AWS service. */
    record ClassLoads(long total, long cds, long jdk, long appJar, long runtime, long other, Map<String, Long> topAppPackages,
                      long serviceMetadataClasses, double serviceMetadataMs) {
    }

    final class Launcher {
        private final String classpath;
        private final Path tmp;
        private final Path logs;
        private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "cold-start-watchdog");
            t.setDaemon(true);
            return t;
        });

        Launcher(String classpath, Path tmp, Path logs) {
            this.classpath = classpath;
            this.tmp = tmp;
            this.logs = logs;
        }

        List<String> command(Target t, Path event, List<String> extra) {
            List<String> cmd = new ArrayList<>();
            cmd.add(java);
            cmd.addAll(RUNTIME_FLAGS);
            cmd.add(HEAP_FLAG);
            cmd.add("-Djava.io.tmpdir=" + tmp);
            cmd.addAll(extra);
            cmd.add("-cp");
            cmd.add(classpath);
            cmd.add(ColdStartLauncher.class.getName());
            cmd.add(t.handler);
            cmd.add(event.toString());
            return cmd;
        }

        Sample launch(Target t, Path event, List<String> extra, String label) throws Exception {
            ProcessBuilder pb = new ProcessBuilder(command(t, event, extra));
            pb.environment().clear();
            pb.environment().putAll(t.env);
            pb.redirectError(logs.resolve(label + ".stderr.log").toFile());
            long wall0 = System.currentTimeMillis();
            long t0 = System.nanoTime();
            Process p = pb.start();
            ScheduledFuture<?> kill = watchdog.schedule(p::destroyForcibly, 120, TimeUnit.SECONDS);
            try {
                p.getOutputStream().close();
                InputStream in = new BufferedInputStream(p.getInputStream());
                String header = readLine(in);
                if (header == null) {
                    p.waitFor(10, TimeUnit.SECONDS);
                    return Sample.failed("no response (exit " + (p.isAlive() ? "?" : p.exitValue()) + "); see " + label + ".stderr.log");
                }
                boolean ok = header.startsWith("CHUNKFLOW-RESPONSE ");
                if (!ok && !header.startsWith("CHUNKFLOW-ERROR ")) {
                    return Sample.failed("bad launcher output: " + abbreviate(header));
                }
                int n = Integer.parseInt(header.substring(header.indexOf(' ') + 1).trim());
                byte[] response = in.readNBytes(n);
                double ms = (System.nanoTime() - t0) / 1e6;
                String rest = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
                boolean exited = p.waitFor(30, TimeUnit.SECONDS);
                Files.write(logs.resolve(label + ".response.json"), response);
                if (!ok) {
                    return Sample.failed("handler failed: " + abbreviate(new String(response, StandardCharsets.UTF_8)));
                }
                if (!exited || p.exitValue() != 0) {
                    return Sample.failed("launcher exit " + (exited ? p.exitValue() : "timeout"));
                }
                String problem = check(t.name, response);
                if (problem != null) {
                    return Sample.failed(abbreviate(problem));
                }
                Map<String, Long> times = times(rest);
                long jvmStart = times.getOrDefault("jvm_start", -1L);
                long main = times.getOrDefault("main", -1L);
                long initDone = times.getOrDefault("init_done", -1L);
                long responded = times.getOrDefault("responded", -1L);
                long ticks = times.getOrDefault("cpu_ticks", -1L);
                return new Sample(ms, null, times.getOrDefault("classes", -1L), jvmStart - wall0, main - jvmStart,
                        initDone - main, responded - initDone, ticks < 0 ? -1 : ticks * 1000.0 / CLOCK_TICKS_PER_SECOND);
            } finally {
                kill.cancel(false);
                if (p.isAlive()) {
                    p.destroyForcibly();
                }
            }
        }

        ClassLoads classLoads(Target t, Path event, Path appJar) throws Exception {
            String label = (t.name.equals(FLOOR) ? "floor" : t.name) + "-classload";
            Path log = logs.resolve(label + ".log");
            Sample s = launch(t, event, List.of("-Xlog:class+load=info:file=" + log), label);
            if (!s.ok() || !Files.exists(log)) {
                return null;
            }
            long total = 0, cds = 0, jdk = 0, app = 0, runtime = 0, other = 0, metadata = 0;
            double metadataFirst = -1, metadataLast = -1;
            Map<String, Long> packages = new TreeMap<>();
            String jarName = appJar.getFileName().toString();
            for (String line : Files.readAllLines(log)) {
                int at = line.indexOf("[class,load] ");
                if (at < 0) {
                    continue;
                }
                total++;
                String rest = line.substring(at + "[class,load] ".length());
                String cls = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
                if (cls.startsWith("software.amazon.awssdk.regions.servicemetadata.") && line.startsWith("[")) {
                    double at_s = Double.parseDouble(line.substring(1, line.indexOf('s')));
                    metadataFirst = metadataFirst < 0 ? at_s : metadataFirst;
                    metadataLast = at_s;
                    metadata++;
                }
                if (rest.contains("source: shared objects file")) {
                    cds++;
                } else if (rest.contains("source: jrt:/")) {
                    jdk++;
                } else if (rest.contains(jarName)) {
                    app++;
                    packages.merge(group(cls), 1L, Long::sum);
                } else if (rest.contains("launcher") || rest.contains("aws-lambda-java-serialization")) {
                    runtime++;
                } else {
                    other++;
                }
            }
            Map<String, Long> top = new LinkedHashMap<>();
            packages.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                    .forEach(e -> top.put(e.getKey(), e.getValue()));
            return new ClassLoads(total, cds, jdk, app, runtime, other, top, metadata,
                    metadata == 0 ? 0 : (metadataLast - metadataFirst) * 1000);
        }
    }

    /** A package group for the class-load summary: the SDK service or module, Jackson, Lambda libraries, ours. */
    static String group(String cls) {
        String[] p = cls.split("\\.");
        if (cls.startsWith("software.amazon.awssdk.services.") && p.length > 4) {
            return "awssdk.services." + p[4];
        }
        if (cls.startsWith("software.amazon.awssdk.") && p.length > 3) {
            return "awssdk." + p[3];
        }
        if (cls.startsWith("com.fasterxml.jackson.")) {
            return "jackson";
        }
        if (cls.startsWith("com.amazonaws.services.lambda.runtime.events")) {
            return "aws-lambda-java-events";
        }
        if (cls.startsWith("com.amazonaws.services.lambda.runtime")) {
            return "aws-lambda-java-core";
        }
        if (cls.startsWith("dev.chunkflow.")) {
            return "dev.chunkflow";
        }
        return p.length > 2 ? p[0] + "." + p[1] + "." + p[2] : cls;
    }

    private static String readLine(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            b.write(c);
            if (b.size() > 4096) {
                break;
            }
        }
        return c == -1 && b.size() == 0 ? null : b.toString(StandardCharsets.US_ASCII);
    }

    private static Map<String, Long> times(String rest) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (String line : rest.split("\n")) {
            if (line.startsWith("CHUNKFLOW-TIMES ")) {
                for (String kv : line.substring("CHUNKFLOW-TIMES ".length()).trim().split(" ")) {
                    int eq = kv.indexOf('=');
                    if (eq > 0) {
                        out.put(kv.substring(0, eq), Long.parseLong(kv.substring(eq + 1)));
                    }
                }
            }
        }
        return out;
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    // ------------------------------------------------------------------ class path pieces

    /** Copies the classes of {@code anchor}'s code source that {@code keep} selects into {@code dir}. */
    static Path extract(Path dir, Class<?> anchor, java.util.function.Predicate<String> keep) throws IOException {
        Files.createDirectories(dir);
        Path source = codeSource(anchor);
        if (Files.isDirectory(source)) {
            try (var walk = Files.walk(source)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    String name = source.relativize(f).toString().replace(File.separatorChar, '/');
                    if (keep.test(name)) {
                        Path out = dir.resolve(name);
                        Files.createDirectories(out.getParent());
                        Files.copy(f, out);
                    }
                }
            }
            return dir;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (!e.isDirectory() && keep.test(e.getName())) {
                    Path out = dir.resolve(e.getName());
                    Files.createDirectories(out.getParent());
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        return dir;
    }

    /**
     * aws-lambda-java-serialization as the runtime has it: its own jar when this harness runs from Maven's
     * class path, else its classes (serializers + shaded Jackson/Gson/Joda) copied out of the CLI jar.
     */
    static Path runtimeJar(Path out) throws IOException {
        Path source = codeSource(com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers.class);
        Files.createDirectories(out.getParent());
        if (source.getFileName().toString().startsWith("aws-lambda-java-serialization")) {
            Files.copy(source, out);
            return out;
        }
        try (JarFile jar = new JarFile(source.toFile());
             JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String n = e.getName();
                if (!e.isDirectory() && (n.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
                        || n.startsWith("com/amazonaws/lambda/thirdparty/")
                        || n.equals("META-INF/services/com.amazonaws.lambda.thirdparty.com.fasterxml.jackson.databind.Module"))) {
                    jos.putNextEntry(new ZipEntry(n));
                    try (InputStream in = jar.getInputStream(e)) {
                        in.transferTo(jos);
                    }
                    jos.closeEntry();
                }
            }
        }
        return out;
    }

    private static Path codeSource(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    // ------------------------------------------------------------------ stubs

    /** Step Functions for StartJob: accepts every StartExecution (nothing runs). */
    static final class AcceptingBackend implements LocalStepFunctionsEndpoint.ExecutionBackend {
        static final String ARN_PREFIX = "arn:aws:states:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":execution:"
                + LocalApp.STACK_NAME + "-" + PipelineRun.STATE_MACHINE + ":";

        @Override
        public Map<String, Object> startExecution(String stateMachineArn, String name, String input) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("executionArn", ARN_PREFIX + name);
            m.put("startDate", System.currentTimeMillis() / 1000.0);
            return m;
        }

        @Override
        public Map<String, Object> describeExecution(String executionArn) {
            throw new LocalStepFunctionsEndpoint.ServiceError("ExecutionDoesNotExist", executionArn);
        }

        @Override
        public Map<String, Object> stopExecution(String executionArn, String error, String cause) {
            throw new LocalStepFunctionsEndpoint.ServiceError("ExecutionDoesNotExist", executionArn);
        }
    }

    /** Secrets Manager GetSecretValue on loopback (AWS JSON 1.1), for ProcessChunk's token secret. */
    static HttpServer secretEndpoint(AtomicInteger calls) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", exchange -> {
            exchange.getRequestBody().readAllBytes();
            String target = String.valueOf(exchange.getRequestHeaders().getFirst("X-Amz-Target"));
            Map<String, Object> body = new LinkedHashMap<>();
            int status = 200;
            if (target.equals("secretsmanager.GetSecretValue")) {
                body.put("ARN", "arn:aws:secretsmanager:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":secret:chunkflow-token-AbCdEf");
                body.put("Name", "chunkflow-token");
                body.put("SecretString", LOCAL_SECRET);
                body.put("VersionId", "00000000-0000-0000-0000-000000000001");
            } else {
                status = 400;
                body.put("__type", "UnknownOperationException");
            }
            calls.incrementAndGet();
            byte[] bytes = Json.bytes(body);
            exchange.getResponseHeaders().set("Content-Type", "application/x-amz-json-1.1");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        return server;
    }

    // ------------------------------------------------------------------ artifact

    /** Where the artifact's bytes go (compressed size plus per-entry zip overhead), by group. */
    record Composition(long entries, Map<String, Long> bytesByGroup) {
        static Composition of(Path jar) throws IOException {
            Map<String, Long> groups = new TreeMap<>();
            long n = 0;
            try (ZipFile z = new ZipFile(jar.toFile())) {
                Enumeration<? extends ZipEntry> entries = z.entries();
                while (entries.hasMoreElements()) {
                    ZipEntry e = entries.nextElement();
                    n++;
                    String name = e.getName();
                    String g = name.endsWith(".class") ? group(name.substring(0, name.length() - 6).replace('/', '.')) : "resources";
                    // local header (30) + central directory (46) + name twice + data descriptor (16)
                    long overhead = 92 + 2L * name.length();
                    groups.merge(g, Math.max(0, e.getCompressedSize()) + overhead, Long::sum);
                }
            }
            Map<String, Long> sorted = new LinkedHashMap<>();
            groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                    .forEach(e -> sorted.put(e.getKey(), e.getValue()));
            return new Composition(n, sorted);
        }
    }

    // ------------------------------------------------------------------ report

    private Result report(BenchContext ctx, Path jar, long artifactBytes, Composition composition, int runs, String toolOptions,
                          Target floor, List<Target> targets, Map<String, List<Sample>> samples, Map<String, ClassLoads> loads,
                          int secretCalls, RunReport job) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("artifact", ctx.repoRoot().relativize(jar).toString());
        json.put("artifact_bytes", artifactBytes);
        json.put("artifact_entries", composition.entries());
        ObjectNode comp = json.putObject("artifact_bytes_by_group");
        composition.bytesByGroup().entrySet().stream().limit(12).forEach(e -> comp.put(e.getKey(), e.getValue()));

        List<Sample> floorSamples = samples.get(FLOOR);
        double floorMs = medianOk(floorSamples);
        json.put("floor_ms", Stats.round(floorMs, 1));
        json.put("runs_per_handler", runs);
        ObjectNode handlers = json.putObject("handlers");
        ObjectNode detail = json.putObject("handler_detail");
        ObjectNode jvm = json.putObject("jvm");
        jvm.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        jvm.put("JAVA_TOOL_OPTIONS", toolOptions);
        ArrayNode flags = jvm.putArray("command_line_flags");
        RUNTIME_FLAGS.forEach(flags::add);
        flags.add(HEAP_FLAG);
        jvm.put("classpath", "lambda jar + aws-lambda-java-serialization + dev.chunkflow.local.bench.launch");
        jvm.put("measured", "ProcessBuilder.start() to the last byte of the first response (stdout)");
        detail.set(FLOOR, sampleJson(floorSamples, loads.get(FLOOR), floorMs, floorMs, floor));

        ArrayNode targetRows = Json.MAPPER.createArrayNode();
        StringBuilder md = new StringBuilder();
        md.append(String.format("Each start is a fresh `java` process (%s) with the template's `JAVA_TOOL_OPTIONS=%s` in its environment, "
                        + "the Java runtime's own flags (`%s %s`) and a class path of the deployable jar + aws-lambda-java-serialization "
                        + "(what the runtime brings for POJO handlers) + the launcher; it loads the template's `Handler`, constructs it, "
                        + "invokes it once on a copy of its `events/` sample pointed at a %d-row, %d-chunk job that the local pipeline ran "
                        + "first, and writes the response. Time is from `ProcessBuilder.start()` to the last byte of that response; "
                        + "median of %d starts per function, rounds interleaved. Every counted response was checked (2xx / no error).%n%n",
                System.getProperty("java.runtime.version"), toolOptions, String.join(" ", RUNTIME_FLAGS), HEAP_FLAG, job.rows_in(),
                job.num_chunks(), runs));
        double floorCpu = medianCpu(floorSamples);
        json.put("floor_cpu_ms", Double.isNaN(floorCpu) ? null : Stats.round(floorCpu, 0));
        md.append("| function | SnapStart | median ms | min-max ms | x floor | CPU ms (x floor) | init ms | first invoke ms | classes loaded | from the jar | met (<= 2.5x) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(row(FLOOR, "n/a", floorSamples, floorMs, floorMs, floorCpu, loads.get(FLOOR), null));
        boolean anyFailed = false;
        for (Target t : targets) {
            List<Sample> s = samples.get(t.name);
            double median = medianOk(s);
            boolean complete = s.stream().allMatch(Sample::ok) && !s.isEmpty();
            anyFailed |= !complete;
            double ratio = median / floorMs;
            boolean met = complete && ratio <= RATIO_TARGET;
            handlers.put(t.name, Double.isNaN(median) ? null : Stats.round(median, 1));
            detail.set(t.name, sampleJson(s, loads.get(t.name), median, floorMs, t));
            md.append(row(t.name, t.snapStart, s, median, floorMs, floorCpu, loads.get(t.name), met));
            String measured = complete
                    ? String.format("%.0f ms = %.1fx the floor (%.0f ms)", median, ratio, floorMs)
                    : "FAILED: " + s.stream().filter(x -> !x.ok()).findFirst().map(Sample::error).orElse("?");
            targetRows.add(BenchReport.target("cold start " + t.name + " <= 2.5x a hello-world handler", measured, met));
        }
        boolean artifactMet = artifactBytes <= ARTIFACT_TARGET_BYTES;
        targetRows.add(BenchReport.target("deployed artifact <= 15 MB",
                String.format("%.2f MB (%,d bytes, %,d entries)", artifactBytes / 1e6, artifactBytes, composition.entries()), artifactMet));
        json.set("targets", targetRows);
        json.put("token_secret_calls", secretCalls);

        ObjectNode priming = json.putObject("snapstart_priming");
        priming.put("where", "dev.chunkflow.aws.SnapStartPriming (CRaC Resource, beforeCheckpoint), registered by AwsClients only when "
                + "AWS_LAMBDA_INITIALIZATION_TYPE=snap-start");
        ArrayNode steps = priming.putArray("does");
        steps.add("Jackson round trip of a task-shaped payload (ObjectMapper serializers and parser tables)");
        steps.add("builds every SDK client the function's environment names, lazy ones included (the job store's S3 client and "
                + "presigner, ProcessChunk's Secrets Manager client), without sending a request");
        steps.add("resolves an endpoint with the S3 and DynamoDB endpoint rule engines");
        steps.add("builds a PutObjectRequest and an UpdateItemRequest (model classes and marshaller metadata)");
        steps.add("no network call, no credentials resolved, no connection opened (afterRestore does nothing)");
        priming.put("applies_to", "every function but GetChunksFunction (SnapStart ApplyOn: None: 10 GB /tmp)");
        priming.put("measured_here", false);

        md.append(String.format("%nFloor: %.0f ms (median). Artifact: `%s`, **%.2f MB** (%,d bytes, %,d zip entries; target <= 15 MB, "
                        + "1 MB = 10^6 bytes): %s.%n%n",
                floorMs, ctx.repoRoot().relativize(jar), artifactBytes / 1e6, artifactBytes, composition.entries(),
                artifactMet ? "met" : "**not met**"));
        md.append("`sam build` deploys `target/classes` plus the runtime dependency jars (`copy-dependencies`) rather than this "
                + "shaded jar; both hold the same compressed classes, so their sizes track each other. Where the bytes go "
                + "(compressed size + zip entry overhead):\n\n| group | MB |\n|---|---|\n");
        composition.bytesByGroup().entrySet().stream().limit(10)
                .forEach(e -> md.append(String.format("| %s | %.2f |%n", e.getKey(), e.getValue() / 1e6)));
        md.append('\n');
        md.append("*init* is `main()` to the handler constructed (class loading + static init + SDK client builders); *first invoke* "
                + "is the handler's first `handleRequest` including the runtime's (de)serialization; both are from the launcher's clock "
                + "(ms resolution); the rest of the time is process spawn and JVM boot, which the floor measures. *CPU ms* is the "
                + "child's user+system time up to the response (all its threads, 10 ms ticks): it depends less than wall time on what "
                + "else this shared machine runs. *classes loaded* and *from the jar* come from one extra, untimed start per function "
                + "with `-Xlog:class+load` (it also warms the page cache before the timed rounds).\n\n");
        md.append(explain(targets, samples, loads, floorMs));
        md.append("\n\n**SnapStart priming** (`dev.chunkflow.aws.SnapStartPriming`): registered as a CRaC resource by `AwsClients` only "
                + "when Lambda initializes for SnapStart (`AWS_LAMBDA_INITIALIZATION_TYPE=snap-start`); in `beforeCheckpoint` it does a "
                + "Jackson round trip of a task-shaped payload, resolves an endpoint through the S3 and DynamoDB endpoint rule engines, "
                + "and builds a `PutObjectRequest` and an `UpdateItemRequest` so their model classes are loaded; before that it builds "
                + "every SDK client the function's environment names, the lazy ones included (the job store's S3 client and presigner, "
                + "built on first offload otherwise; ProcessChunk's Secrets Manager client). It makes no network call, reads no "
                + "secret and resolves no credentials (nothing secret or "
                + "connection-bound is baked into the snapshot; `afterRestore` has nothing to refresh). SnapStart is on for every "
                + "function's published version except GetChunks (`ApplyOn: None`: it needs 10 GB of `/tmp`, which SnapStart does not "
                + "support, and runs once per job). The numbers above are on-demand cold starts: no CRaC JVM here, so a restore "
                + "is not measured; with SnapStart the *init* column is paid once at publish time, and priming moves part of the "
                + "*first invoke* column into the snapshot too.\n");
        if (anyFailed) {
            md.append("\nSome starts FAILED (see `handler_detail` in the JSON and `bench/tmp/cold_start/logs/`); a function with a failed "
                    + "start does not meet its target.\n");
        }
        return new Result(json, md.toString());
    }

    private static String explain(List<Target> targets, Map<String, List<Sample>> samples, Map<String, ClassLoads> loads, double floorMs) {
        ClassLoads fl = loads.get(FLOOR);
        StringBuilder b = new StringBuilder("**What explains it.** ");
        double worstRatio = 0;
        String worst = null;
        for (Target t : targets) {
            double m = medianOk(samples.get(t.name));
            if (!Double.isNaN(m) && m / floorMs > worstRatio) {
                worstRatio = m / floorMs;
                worst = t.name;
            }
        }
        if (fl != null) {
            b.append(String.format("The floor loads %,d classes (%,d of them from the JDK's CDS archive, which costs almost nothing). ",
                    fl.total(), fl.cds()));
        }
        long minApp = Long.MAX_VALUE;
        long maxApp = 0;
        for (Target t : targets) {
            ClassLoads c = loads.get(t.name);
            if (c != null) {
                minApp = Math.min(minApp, c.appJar());
                maxApp = Math.max(maxApp, c.appJar());
            }
        }
        if (maxApp > 0) {
            b.append(String.format("The handlers load %,d to %,d classes from the jar, each parsed, verified and linked on first use, "
                    + "and run their static initializers with only the C1 compiler (`TieredStopAtLevel=1`); most of them are the AWS "
                    + "SDK's (client builders, endpoint rule engine, signer, marshallers and model classes of each call) and Jackson's. ",
                    minApp, maxApp));
        }
        long metadataClasses = 0;
        double metadataMin = Double.MAX_VALUE;
        double metadataMax = 0;
        for (Target t : targets) {
            ClassLoads c = loads.get(t.name);
            if (c != null && c.serviceMetadataClasses() > 0) {
                metadataClasses = c.serviceMetadataClasses();
                metadataMin = Math.min(metadataMin, c.serviceMetadataMs());
                metadataMax = Math.max(metadataMax, c.serviceMetadataMs());
            }
        }
        if (metadataClasses > 0) {
            b.append(String.format("One SDK cost stands out in the class-load logs: the first client build loads the region metadata "
                    + "of all %d AWS services (`GeneratedServiceMetadataProvider`, one class each), %.0f to %.0f ms of the start here. ",
                    metadataClasses, metadataMin, metadataMax));
        }
        if (worst != null) {
            Sample typical = typical(samples.get(worst));
            if (typical != null) {
                b.append(String.format("For %s (%.1fx the floor) a typical start splits into %d ms spawn + JVM boot, %d ms init "
                        + "(handler class and SDK clients built) and %d ms first invoke (first requests: credentials, endpoint "
                        + "resolution, signing, HTTP connection, marshalling). ", worst, worstRatio,
                        typical.spawnToJvm() + typical.jvmToMain(), typical.init(), typical.invoke()));
            }
        }
        Sample floorTypical = typical(samples.get(FLOOR));
        if (floorTypical != null) {
            b.append(String.format("The floor itself spends %d ms of its start in its first invoke: that is the runtime's POJO "
                    + "serialization (aws-lambda-java-serialization's own shaded Jackson) reading the event, which chunkflow's "
                    + "handlers do not pay: all of them are stream handlers (StartJob and GetJob read the API Gateway event and "
                    + "write their response with chunkflow's Jackson, dev.chunkflow.api.HttpApi). ", floorTypical.invoke()));
        }
        b.append("The artifact's size matters far less than what is loaded from it: a class never touched costs only its entry "
                + "in the jar's central directory. SnapStart (restore instead of init, priming for the first requests) is the "
                + "lever for the 2.5x target on AWS; it cannot be measured on this JVM.");
        return b.toString();
    }

    private static Sample typical(List<Sample> s) {
        List<Sample> ok = s.stream().filter(Sample::ok).sorted(Comparator.comparingDouble(Sample::ms)).toList();
        return ok.isEmpty() ? null : ok.get((ok.size() - 1) / 2);
    }

    private static String row(String name, String snapStart, List<Sample> s, double median, double floorMs, double floorCpu,
                              ClassLoads cl, Boolean met) {
        List<Sample> ok = s.stream().filter(Sample::ok).toList();
        if (ok.isEmpty()) {
            return String.format("| %s | %s | FAILED | | | | | | | | **no** |%n", name, snapStart);
        }
        double cpu = medianCpu(s);
        Sample typ = typical(s);
        double min = ok.stream().mapToDouble(Sample::ms).min().orElse(Double.NaN);
        double max = ok.stream().mapToDouble(Sample::ms).max().orElse(Double.NaN);
        String failed = ok.size() < s.size() ? String.format(" (%d failed)", s.size() - ok.size()) : "";
        return String.format("| %s | %s | %.0f%s | %.0f-%.0f | %.2f | %.0f (%.1f) | %d | %d | %s | %s | %s |%n", name, snapStart, median,
                failed, min, max, median / floorMs, cpu, cpu / floorCpu, typ.init(), typ.invoke(), cl == null ? "?" : String.format("%,d", cl.total()),
                cl == null ? "?" : String.format("%,d", cl.appJar()), met == null ? "(floor)" : met ? "yes" : "**no**");
    }

    private static ObjectNode sampleJson(List<Sample> s, ClassLoads cl, double median, double floorMs, Target t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("handler", t.handler);
        o.put("memory_mb", t.memoryMb);
        o.put("snapstart", t.snapStart);
        o.put("median_ms", Double.isNaN(median) ? null : Stats.round(median, 1));
        o.put("ratio_to_floor", Double.isNaN(median) ? null : Stats.round(median / floorMs, 2));
        double cpuMedian = medianCpu(s);
        o.put("cpu_median_ms", Double.isNaN(cpuMedian) ? null : Stats.round(cpuMedian, 0));
        ArrayNode ms = o.putArray("samples_ms");
        ArrayNode init = o.putArray("init_ms");
        ArrayNode invoke = o.putArray("first_invoke_ms");
        ArrayNode boot = o.putArray("spawn_and_jvm_boot_ms");
        ArrayNode cpu = o.putArray("cpu_ms");
        ArrayNode errors = o.putArray("errors");
        for (Sample x : s) {
            if (x.ok()) {
                ms.add(Stats.round(x.ms(), 1));
                init.add(x.init());
                invoke.add(x.invoke());
                boot.add(x.spawnToJvm() + x.jvmToMain());
                cpu.add(Stats.round(x.cpuMs(), 0));
            } else {
                errors.add(x.error());
            }
        }
        if (cl != null) {
            ObjectNode c = o.putObject("classes_loaded");
            c.put("total", cl.total());
            c.put("jdk_cds_archive", cl.cds());
            c.put("jdk_jrt", cl.jdk());
            c.put("lambda_jar", cl.appJar());
            c.put("runtime_and_launcher", cl.runtime());
            c.put("other_generated", cl.other());
            c.put("sdk_service_metadata_classes", cl.serviceMetadataClasses());
            c.put("sdk_service_metadata_ms", Stats.round(cl.serviceMetadataMs(), 0));
            ObjectNode top = c.putObject("lambda_jar_by_group");
            cl.topAppPackages().forEach(top::put);
        }
        return o;
    }

    private static double medianCpu(List<Sample> s) {
        double[] ok = s.stream().filter(x -> x.ok() && x.cpuMs() >= 0).mapToDouble(Sample::cpuMs).toArray();
        return ok.length == 0 ? Double.NaN : Stats.median(ok);
    }

    private static double medianOk(List<Sample> s) {
        double[] ok = s.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        return ok.length == 0 ? Double.NaN : Stats.median(ok);
    }
}
