package dev.chunkflow.local.lambda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.chunkflow.common.Json;
import dev.chunkflow.testkit.EmbeddedS3;

/**
 * An execution environment in a JVM of its own ({@code --isolation process}): started with a max heap
 * from the function's MemorySize, the template's JAVA_TOOL_OPTIONS, the function's environment
 * variables and a private {@code /tmp} ({@code java.io.tmpdir} and {@code TMPDIR}) under the state
 * directory; reused across invocations; killed when an invocation times out or /tmp passes the
 * function's EphemeralStorage. A process that dies mid-invocation is reported as Lambda does,
 * {@code Runtime.ExitError}. {@link ChildRuntime} is the other end of the pipe.
 */
public final class ProcessEnvironment implements ExecutionEnvironment {
    /** Share of MemorySize given to the heap; the rest is metaspace, thread stacks, buffers and the JIT. */
    static final int HEAP_PERCENT_OF_MEMORY = 85;
    /** How often /tmp is measured while an invocation runs. */
    private static final long TMP_CHECK_MILLIS = 200;
    private static final AtomicInteger IDS = new AtomicInteger();

    private final FunctionConfig config;
    private final Path dir;
    private final Path tmp;
    private final Process process;
    private final DataOutputStream toChild;
    private final DataInputStream fromChild;
    private final ExecutorService reader;
    private final BiConsumer<String, Long> requestSink;
    private Map<String, Long> requestsSoFar = Map.of();
    private volatile boolean alive = true;
    private final java.util.concurrent.atomic.AtomicBoolean closed = new java.util.concurrent.atomic.AtomicBoolean();
    private volatile Runnable onClose = () -> { };

    private ProcessEnvironment(FunctionConfig config, Path dir, Process process, BiConsumer<String, Long> requestSink) {
        this.config = config;
        this.dir = dir;
        this.tmp = dir.resolve("tmp");
        this.process = process;
        this.requestSink = requestSink;
        this.toChild = new DataOutputStream(new BufferedOutputStream(process.getOutputStream()));
        this.fromChild = new DataInputStream(new BufferedInputStream(process.getInputStream()));
        this.reader = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "lambda-process-" + config.name() + "-" + process.pid());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Starts the JVM of a new environment of {@code config} under {@code root}.
     *
     * @param javaToolOptions the template's JAVA_TOOL_OPTIONS for the function, or null
     * @param logs            receives every line the environment writes (its handler's logs)
     * @param requestSink     receives the AWS requests the handler's clients made ({@code Service.Operation}, count)
     */
    public static ProcessEnvironment start(FunctionConfig config, Path root, String javaToolOptions, Consumer<String> logs,
                                           BiConsumer<String, Long> requestSink) {
        Path dir = root.resolve(config.name() + "-" + ProcessHandle.current().pid() + "-" + IDS.incrementAndGet());
        try {
            Files.createDirectories(dir.resolve("tmp"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        long heapMb = Math.max(16, (long) config.memoryMb() * HEAP_PERCENT_OF_MEMORY / 100);
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + heapMb + "m", "-XX:+UseSerialGC", "-XX:-UsePerfData",
                "-Djava.io.tmpdir=" + dir.resolve("tmp"),
                "-cp", System.getProperty("java.class.path"),
                ChildRuntime.class.getName(), config.name(), config.handler(),
                String.valueOf(config.memoryMb()), String.valueOf(config.timeoutSeconds())));
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        env.putAll(config.environment());
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.putIfAbsent("AWS_REGION", LocalArns.REGION);
        env.put("AWS_LAMBDA_FUNCTION_NAME", config.name());
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(config.memoryMb()));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("TMPDIR", dir.resolve("tmp").toString());
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        if (javaToolOptions != null && !javaToolOptions.isBlank()) {
            env.put("JAVA_TOOL_OPTIONS", javaToolOptions);
        }
        Process process;
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a JVM for " + config.name() + ": " + e.getMessage(), e);
        }
        Thread pump = new Thread(() -> copyLines(process, logs), "lambda-logs-" + config.name() + "-" + process.pid());
        pump.setDaemon(true);
        pump.start();
        ProcessEnvironment started = new ProcessEnvironment(config, dir, process, requestSink);
        started.awaitInit();
        return started;
    }

    /**
     * The init phase (JVM start, handler construction) ends before the first invocation's clock starts,
     * as on Lambda, where init has a budget of its own.
     */
    private void awaitInit() {
        FunctionError failure;
        try {
            int status = fromChild.readUnsignedByte();
            if (status == ChildRuntime.READY) {
                return;
            }
            String type = ChildRuntime.readBytes(fromChild);
            failure = new FunctionError(type, "init failed", ChildRuntime.readBytes(fromChild));
        } catch (IOException e) {
            failure = died("init");
        }
        close();
        throw failure;
    }

    private static void copyLines(Process process, Consumer<String> logs) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                // The JVM announces JAVA_TOOL_OPTIONS on stderr; Lambda's log has that line too.
                logs.accept(line);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }

    @Override
    public byte[] invoke(byte[] request, String requestId, long remainingMillis) throws TimedOut {
        return invoke(request, requestId, remainingMillis, null);
    }

    /**
     * The faults go to the environment's own fault interceptor with the request; the SDK calls it made
     * come back with the response (not when the process died: a crash leaves nothing to report).
     */
    @Override
    public synchronized byte[] invoke(byte[] request, String requestId, long remainingMillis,
                                      dev.chunkflow.local.faults.FaultedInvocation injected) throws TimedOut {
        if (!alive) {
            throw LambdaErrors.exited(requestId, "the environment was ended");
        }
        long deadline = System.nanoTime() + remainingMillis * 1_000_000L;
        Future<Response> pending;
        try {
            toChild.writeUTF(requestId);
            toChild.writeLong(remainingMillis);
            toChild.writeUTF(injected == null ? "" : injected.faults().encode());
            toChild.writeInt(request.length);
            toChild.write(request);
            toChild.flush();
            pending = reader.submit(this::readResponse);
        } catch (IOException e) {
            throw died(requestId);
        }
        while (true) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                kill();
                throw new TimedOut();
            }
            Response r;
            try {
                r = pending.get(Math.min(left, TMP_CHECK_MILLIS), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                checkTmp(requestId);
                continue;
            } catch (ExecutionException e) {
                throw died(requestId);
            } catch (InterruptedException e) {
                kill();
                Thread.currentThread().interrupt();
                throw new FunctionError("Lambda.ServiceException", "invocation interrupted", "invocation interrupted");
            }
            countRequests(r.requests());
            if (injected != null) {
                injected.reported(r.calls(), r.injected());
            }
            if (r.error() != null) {
                if (LambdaErrors.endsEnvironment(r.error())) {
                    alive = false; // the runtime exits after this error, as Lambda's Java runtime does
                }
                throw r.error();
            }
            checkTmp(requestId);
            return r.payload();
        }
    }

    private record Response(byte[] payload, FunctionError error, Map<String, Long> requests, List<String> calls,
                            List<String> injected) {
    }

    private Response readResponse() throws IOException {
        int status = fromChild.readUnsignedByte();
        byte[] payload = null;
        FunctionError error = null;
        if (status == ChildRuntime.OK) {
            payload = new byte[fromChild.readInt()];
            fromChild.readFully(payload);
        } else {
            String type = ChildRuntime.readBytes(fromChild);
            String cause = ChildRuntime.readBytes(fromChild);
            error = new FunctionError(type, type, cause);
        }
        Map<String, Long> requests = Json.MAPPER.readValue(ChildRuntime.readBytes(fromChild), new TypeReference<Map<String, Long>>() { });
        Map<String, List<String>> sdk = Json.MAPPER.readValue(ChildRuntime.readBytes(fromChild),
                new TypeReference<Map<String, List<String>>>() { });
        return new Response(payload, error, requests, sdk.getOrDefault("calls", List.of()), sdk.getOrDefault("injected", List.of()));
    }

    private void countRequests(Map<String, Long> cumulative) {
        for (Map.Entry<String, Long> e : cumulative.entrySet()) {
            long delta = e.getValue() - requestsSoFar.getOrDefault(e.getKey(), 0L);
            if (delta > 0) {
                requestSink.accept(e.getKey(), delta);
            }
        }
        requestsSoFar = cumulative;
    }

    /** The process died under the invocation: Lambda's {@code Runtime.ExitError} with its exit status. */
    private FunctionError died(String requestId) {
        alive = false;
        int code;
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            code = process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            code = -1;
        }
        kill();
        String detail = code > 128 ? "signal: " + signalName(code - 128) : "exit status " + code;
        return LambdaErrors.exited(requestId, detail);
    }

    private static String signalName(int signal) {
        return switch (signal) {
            case 9 -> "killed";
            case 6 -> "aborted";
            case 11 -> "segmentation fault";
            case 15 -> "terminated";
            default -> String.valueOf(signal);
        };
    }

    /**
     * EphemeralStorage: the environment's /tmp is measured every {@value #TMP_CHECK_MILLIS} ms while an
     * invocation runs and when it ends; over the function's size the environment is killed and the
     * invocation fails (on AWS the write itself fails with "No space left on device").
     */
    private void checkTmp(String requestId) {
        long bytes = tmpBytes();
        long cap = config.ephemeralStorageMb() * 1024L * 1024L;
        if (bytes > cap) {
            kill();
            throw LambdaErrors.exited(requestId, "/tmp holds " + bytes + " bytes, over the function's EphemeralStorage of "
                    + config.ephemeralStorageMb() + " MB (on AWS the write fails: No space left on device)");
        }
    }

    @Override
    public long tmpBytes() {
        try (Stream<Path> files = Files.walk(tmp)) {
            return files.filter(Files::isRegularFile).mapToLong(p -> {
                try {
                    return Files.size(p);
                } catch (IOException e) {
                    return 0; // deleted while we walked
                }
            }).sum();
        } catch (IOException | UncheckedIOException e) {
            return 0;
        }
    }

    /** This environment's private /tmp. */
    public Path tmpDir() {
        return tmp;
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public boolean alive() {
        return alive && process.isAlive();
    }

    /** Kills the environment's process at once (a timeout, or a sandbox crash injected from outside). */
    public void kill() {
        alive = false;
        process.destroyForcibly();
    }

    /** Runs {@code r} once, when this environment is closed (e.g. to return its memory to a budget). */
    public ProcessEnvironment whenClosed(Runnable r) {
        this.onClose = r;
        return this;
    }

    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        onClose.run();
        kill();
        reader.shutdownNow();
        try {
            process.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | UncheckedIOException ignored) {
            // best effort: the state directory is scratch space
        }
    }
}
