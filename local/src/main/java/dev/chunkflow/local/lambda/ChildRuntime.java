package dev.chunkflow.local.lambda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.faults.FaultInterceptor;
import dev.chunkflow.local.faults.InvocationFaults;
import dev.chunkflow.local.run.AwsRequestCounter;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * The runtime inside a process-isolated execution environment (one JVM per environment): builds the
 * handler once, as Lambda's Java runtime does, from the process environment, then serves invocations
 * one at a time over its stdin/stdout ({@link ProcessEnvironment} is the other end). Everything the
 * handler prints goes to stderr, which the parent copies to the run's log.
 *
 * <p>Frames: after init, one byte READY (or INIT_ERROR + errorType + cause); request = UTF request id, long remaining millis,
 * UTF fault line ({@link InvocationFaults#encode()}, empty for none), int length + payload; response = byte 0
 * + int length + payload, or byte 1 + errorType + cause (int length + UTF-8 each), then the JSON of
 * the AWS requests made so far ({@code Service.Operation -> count}), then the JSON of the invocation's
 * SDK calls and injected faults ({@code {"calls": [...], "injected": [...]}}). An injected sandbox crash
 * kills this process with SIGKILL, so the parent sees what Lambda sees when a runtime dies. After an error that ends a Java
 * runtime (OutOfMemoryError and the other VirtualMachineErrors) the process exits, as Lambda's does.
 *
 * <p>{@code CHUNKFLOW_SDK_INTERCEPTORS} (comma-separated class names with a public no-arg constructor:
 * an {@code ExecutionInterceptor}, or a {@code Supplier} of one) adds SDK interceptors to the handler's
 * clients: the runner's IAM enforcement ({@code ChildIam}), a fault injector inside the environment.
 */
public final class ChildRuntime {
    static final int OK = 0;
    static final int ERROR = 1;
    static final int INIT_ERROR = 2;
    static final int READY = 3;

    private ChildRuntime() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 4) {
            throw new IllegalArgumentException("usage: ChildRuntime FUNCTION HANDLER MEMORY_MB TIMEOUT_SECONDS");
        }
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out)));
        DataInputStream in = new DataInputStream(new BufferedInputStream(System.in));
        PrintStream logs = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        System.setOut(logs); // stdout carries frames; a handler's prints are log lines
        Log.redirect(logs);

        AwsRequestCounter requests = new AwsRequestCounter();
        FaultInterceptor faults = new FaultInterceptor(ChildRuntime::killSelf);
        LocalFunction function;
        try {
            List<ExecutionInterceptor> interceptors = new ArrayList<>();
            interceptors.add(requests);
            interceptors.addAll(extraInterceptors(System.getenv("CHUNKFLOW_SDK_INTERCEPTORS")));
            interceptors.add(faults);
            AwsClients clients = new AwsClients(Env.system(), interceptors);
            function = LocalFunction.load(args[0], args[1], clients, Integer.parseInt(args[2]), Integer.parseInt(args[3]));
        } catch (Throwable t) {
            out.writeByte(INIT_ERROR);
            writeBytes(out, t.getClass().getName());
            writeBytes(out, LocalFunction.errorJson(t.getClass().getName(), String.valueOf(t.getMessage()), List.of()));
            out.flush();
            System.exit(1);
            return;
        }
        out.writeByte(READY); // init is over: from here on, time counts against the invocation's Timeout
        out.flush();
        while (true) {
            String requestId;
            long remaining;
            String faultLine;
            byte[] request;
            try {
                requestId = in.readUTF();
                remaining = in.readLong();
                faultLine = in.readUTF();
                request = new byte[in.readInt()];
                in.readFully(request);
            } catch (EOFException e) {
                return; // the parent ended this environment
            }
            boolean exit = false;
            faults.begin(InvocationFaults.parse(faultLine));
            try {
                byte[] response = function.invoke(request, requestId, remaining);
                out.writeByte(OK);
                out.writeInt(response.length);
                out.write(response);
            } catch (FunctionError e) {
                out.writeByte(ERROR);
                writeBytes(out, e.errorType());
                writeBytes(out, e.causeJson());
                exit = LambdaErrors.endsEnvironment(e);
            }
            writeBytes(out, Json.MAPPER.writeValueAsString(requests.snapshot()));
            List<String> calls = faults.end();
            writeBytes(out, Json.MAPPER.writeValueAsString(java.util.Map.of("calls", calls, "injected", faults.injected())));
            out.flush();
            if (exit) {
                System.exit(1);
            }
        }
    }

    /** An injected sandbox crash: SIGKILL to this process, as when Lambda's runtime dies (nothing in the handler runs after it). */
    private static void killSelf(String where) {
        Log.warn("sandbox crash injected: the environment's process is killed", "where", where);
        try {
            new ProcessBuilder("kill", "-KILL", String.valueOf(ProcessHandle.current().pid())).start().waitFor();
            Thread.sleep(10_000);
        } catch (Exception ignored) {
            // no kill(1): halt below
        }
        Runtime.getRuntime().halt(137);
    }

    private static List<ExecutionInterceptor> extraInterceptors(String classNames) throws ReflectiveOperationException {
        List<ExecutionInterceptor> out = new ArrayList<>();
        if (classNames == null || classNames.isBlank()) {
            return out;
        }
        for (String name : classNames.split(",")) {
            Object o = Class.forName(name.trim()).getConstructor().newInstance();
            out.add(o instanceof java.util.function.Supplier<?> s ? (ExecutionInterceptor) s.get() : (ExecutionInterceptor) o);
        }
        return out;
    }

    static void writeBytes(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        out.writeInt(b.length);
        out.write(b);
    }

    static String readBytes(DataInputStream in) throws IOException {
        byte[] b = new byte[in.readInt()];
        in.readFully(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
