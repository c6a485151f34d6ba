package dev.chunkflow.local.bench.coldstart;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.bench.BenchReport;
import dev.chunkflow.local.bench.BenchSection.Result;
import dev.chunkflow.local.bench.Stats;
import dev.chunkflow.local.run.RunReport;

/**
 * The cold-start section's results: its JSON (samples, class loads, artifact composition, targets) and its
 * Markdown (the method, the table, the artifact, what explains the numbers, SnapStart priming).
 */
record ColdStartReport(Artifact artifact, String toolOptions, Target floor, List<Target> targets, Map<String, List<Sample>> samples,
                       Map<String, ClassLoads> loads, int runs, int secretCalls, RunReport job) {
    static final long ARTIFACT_TARGET_BYTES = 15_000_000;
    static final double RATIO_TARGET = 2.5;

    Result render(Path repoRoot) {
        ObjectNode json = Json.MAPPER.createObjectNode();
        json.put("artifact", repoRoot.relativize(artifact.jar()).toString());
        json.put("artifact_bytes", artifact.bytes());
        json.put("artifact_entries", artifact.entries());
        ObjectNode comp = json.putObject("artifact_bytes_by_group");
        artifact.bytesByGroup().entrySet().stream().limit(12).forEach(e -> comp.put(e.getKey(), e.getValue()));

        List<Sample> floorSamples = samples.get(ColdStart.FLOOR);
        double floorMs = Sample.medianMs(floorSamples);
        json.put("floor_ms", Stats.round(floorMs, 1));
        json.put("runs_per_handler", runs);
        ObjectNode handlers = json.putObject("handlers");
        ObjectNode detail = json.putObject("handler_detail");
        ObjectNode jvm = json.putObject("jvm");
        jvm.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
        jvm.put("JAVA_TOOL_OPTIONS", toolOptions);
        ArrayNode flags = jvm.putArray("command_line_flags");
        JvmLauncher.RUNTIME_FLAGS.forEach(flags::add);
        flags.add(JvmLauncher.HEAP_FLAG);
        jvm.put("classpath", "lambda jar + aws-lambda-java-serialization + dev.chunkflow.local.bench.launch");
        jvm.put("measured", "ProcessBuilder.start() to the last byte of the first response (stdout)");
        detail.set(ColdStart.FLOOR, sampleJson(floorSamples, loads.get(ColdStart.FLOOR), floorMs, floorMs, floor));

        ArrayNode targetRows = Json.MAPPER.createArrayNode();
        StringBuilder md = new StringBuilder();
        md.append(String.format("Each start is a fresh `java` process (%s) with the template's `JAVA_TOOL_OPTIONS=%s` in its environment, "
                        + "the Java runtime's own flags (`%s %s`) and a class path of the deployable jar + aws-lambda-java-serialization "
                        + "(what the runtime brings for POJO handlers) + the launcher; it loads the template's `Handler`, constructs it, "
                        + "invokes it once on a copy of its `events/` sample pointed at a %d-row, %d-chunk job that the local pipeline ran "
                        + "first, and writes the response. Time is from `ProcessBuilder.start()` to the last byte of that response; "
                        + "median of %d starts per function, rounds interleaved. Every counted response was checked (2xx / no error).%n%n",
                System.getProperty("java.runtime.version"), toolOptions, String.join(" ", JvmLauncher.RUNTIME_FLAGS), JvmLauncher.HEAP_FLAG, job.rows_in(),
                job.num_chunks(), runs));
        double floorCpu = Sample.medianCpu(floorSamples);
        json.put("floor_cpu_ms", Double.isNaN(floorCpu) ? null : Stats.round(floorCpu, 0));
        md.append("| function | SnapStart | median ms | min-max ms | x floor | CPU ms (x floor) | init ms | first invoke ms | classes loaded | from the jar | met (<= 2.5x) |\n");
        md.append("|---|---|---|---|---|---|---|---|---|---|---|\n");
        md.append(row(ColdStart.FLOOR, "n/a", floorSamples, floorMs, floorMs, floorCpu, loads.get(ColdStart.FLOOR), null));
        boolean anyFailed = false;
        for (Target t : targets) {
            List<Sample> s = samples.get(t.name());
            double median = Sample.medianMs(s);
            boolean complete = s.stream().allMatch(Sample::ok) && !s.isEmpty();
            anyFailed |= !complete;
            double ratio = median / floorMs;
            boolean met = complete && ratio <= RATIO_TARGET;
            handlers.put(t.name(), Double.isNaN(median) ? null : Stats.round(median, 1));
            detail.set(t.name(), sampleJson(s, loads.get(t.name()), median, floorMs, t));
            md.append(row(t.name(), t.snapStart(), s, median, floorMs, floorCpu, loads.get(t.name()), met));
            String measured = complete
                    ? String.format("%.0f ms = %.1fx the floor (%.0f ms)", median, ratio, floorMs)
                    : "FAILED: " + s.stream().filter(x -> !x.ok()).findFirst().map(Sample::error).orElse("?");
            targetRows.add(BenchReport.target("cold start " + t.name() + " <= 2.5x a hello-world handler", measured, met));
        }
        boolean artifactMet = artifact.bytes() <= ARTIFACT_TARGET_BYTES;
        targetRows.add(BenchReport.target("deployed artifact <= 15 MB",
                String.format("%.2f MB (%,d bytes, %,d entries)", artifact.bytes() / 1e6, artifact.bytes(), artifact.entries()), artifactMet));
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
                floorMs, repoRoot.relativize(artifact.jar()), artifact.bytes() / 1e6, artifact.bytes(), artifact.entries(),
                artifactMet ? "met" : "**not met**"));
        md.append("`sam build` deploys `target/classes` plus the runtime dependency jars (`copy-dependencies`) rather than this "
                + "shaded jar; both hold the same compressed classes, so their sizes track each other. Where the bytes go "
                + "(compressed size + zip entry overhead):\n\n| group | MB |\n|---|---|\n");
        artifact.bytesByGroup().entrySet().stream().limit(10)
                .forEach(e -> md.append(String.format("| %s | %.2f |%n", e.getKey(), e.getValue() / 1e6)));
        md.append('\n');
        md.append("*init* is `main()` to the handler constructed (class loading + static init + SDK client builders); *first invoke* "
                + "is the handler's first `handleRequest` including the runtime's (de)serialization; both are from the launcher's clock "
                + "(ms resolution); the rest of the time is process spawn and JVM boot, which the floor measures. *CPU ms* is the "
                + "child's user+system time up to the response (all its threads, 10 ms ticks): it depends less than wall time on what "
                + "else this shared machine runs. *classes loaded* and *from the jar* come from one extra, untimed start per function "
                + "with `-Xlog:class+load` (it also warms the page cache before the timed rounds).\n\n");
        md.append(ColdStartExplanation.of(targets, samples, loads, floorMs));
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

    private static String row(String name, String snapStart, List<Sample> s, double median, double floorMs, double floorCpu,
                              ClassLoads cl, Boolean met) {
        List<Sample> ok = s.stream().filter(Sample::ok).toList();
        if (ok.isEmpty()) {
            return String.format("| %s | %s | FAILED | | | | | | | | **no** |%n", name, snapStart);
        }
        double cpu = Sample.medianCpu(s);
        Sample typ = Sample.typical(s);
        double min = ok.stream().mapToDouble(Sample::ms).min().orElse(Double.NaN);
        double max = ok.stream().mapToDouble(Sample::ms).max().orElse(Double.NaN);
        String failed = ok.size() < s.size() ? String.format(" (%d failed)", s.size() - ok.size()) : "";
        return String.format("| %s | %s | %.0f%s | %.0f-%.0f | %.2f | %.0f (%.1f) | %d | %d | %s | %s | %s |%n", name, snapStart, median,
                failed, min, max, median / floorMs, cpu, cpu / floorCpu, typ.init(), typ.invoke(), cl == null ? "?" : String.format("%,d", cl.total()),
                cl == null ? "?" : String.format("%,d", cl.appJar()), met == null ? "(floor)" : met ? "yes" : "**no**");
    }

    private static ObjectNode sampleJson(List<Sample> s, ClassLoads cl, double median, double floorMs, Target t) {
        ObjectNode o = Json.MAPPER.createObjectNode();
        o.put("handler", t.handler());
        o.put("memory_mb", t.memoryMb());
        o.put("snapstart", t.snapStart());
        o.put("median_ms", Double.isNaN(median) ? null : Stats.round(median, 1));
        o.put("ratio_to_floor", Double.isNaN(median) ? null : Stats.round(median / floorMs, 2));
        double cpuMedian = Sample.medianCpu(s);
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
}
