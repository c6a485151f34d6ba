package dev.chunkflow.local.bench.coldstart;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import dev.chunkflow.local.bench.launch.ColdStartLauncher;

/**
 * The parent side of a cold start: starts a fresh {@code java} running {@link ColdStartLauncher} for a target,
 * times it from {@link ProcessBuilder#start()} to the last byte of the response, reads the launcher's protocol
 * (response, then its own clock and CPU ticks) and checks the response. Stderr and responses go to {@code logs}.
 */
final class JvmLauncher {
    /** What the Lambda Java runtime puts on its own command line (besides heap sizing from the memory setting). */
    static final List<String> RUNTIME_FLAGS = List.of("-XX:+UseSerialGC", "-Xshare:auto", "-Djava.net.preferIPv4Stack=true");
    /** One heap for every start (the 1024 MB default of the template; start-up does not depend on it). */
    static final String HEAP_FLAG = "-XX:MaxHeapSize=870m";
    /** USER_HZ of /proc/self/stat on Linux (the launcher reports utime+stime in these ticks). */
    static final int CLOCK_TICKS_PER_SECOND = 100;

    private final String classpath;
    private final Path tmp;
    private final Path logs;
    private final String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    private final ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "cold-start-watchdog");
        t.setDaemon(true);
        return t;
    });

    JvmLauncher(String classpath, Path tmp, Path logs) {
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
        cmd.add(t.handler());
        cmd.add(event.toString());
        return cmd;
    }

    Sample launch(Target t, Path event, List<String> extra, String label) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command(t, event, extra));
        pb.environment().clear();
        pb.environment().putAll(t.env());
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
            String problem = ResponseCheck.problem(t.name(), response);
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

    /** One extra start with {@code -Xlog:class+load}; null if it failed. */
    ClassLoads classLoads(Target t, Path event, Path appJar) throws Exception {
        String label = (t.name().equals(ColdStart.FLOOR) ? "floor" : t.name()) + "-classload";
        Path log = logs.resolve(label + ".log");
        Sample s = launch(t, event, List.of("-Xlog:class+load=info:file=" + log), label);
        if (!s.ok() || !Files.exists(log)) {
            return null;
        }
        return ClassLoads.parse(log, appJar.getFileName().toString());
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

    /** {@code CHUNKFLOW-TIMES k=v k=v ...} lines of the launcher's output after the response. */
    static Map<String, Long> times(String rest) {
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
}
