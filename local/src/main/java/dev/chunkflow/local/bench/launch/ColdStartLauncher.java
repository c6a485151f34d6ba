package dev.chunkflow.local.bench.launch;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.amazonaws.services.lambda.runtime.serialization.factories.JacksonFactory;

/**
 * The child side of the cold-start benchmark: a fresh JVM whose class path is the deployable Lambda jar,
 * what the Java runtime itself brings (aws-lambda-java-serialization) and this package only. It does what
 * the Lambda Java runtime does for the first invocation of an execution environment: loads the handler
 * class named like template.yaml's {@code Handler}, constructs it (init), reads the event, invokes it once
 * (a {@link RequestStreamHandler} on the raw bytes; a POJO {@link RequestHandler} through the runtime's own
 * serializers: Lambda's event serializers for {@code aws-lambda-java-events} types, its Jackson otherwise)
 * and writes the response.
 *
 * <p>Protocol on the real stdout (handler logs go to stderr): {@code CHUNKFLOW-RESPONSE <n>\n<n bytes>}
 * (or {@code CHUNKFLOW-ERROR <n>\n<n bytes>} and exit 1), then after the response, outside of what the
 * parent times, {@code CHUNKFLOW-TIMES jvm_start=<epoch ms> main=<epoch ms> init_done=<epoch ms>
 * responded=<epoch ms> cpu_ticks=<utime+stime at the response> classes=<loaded classes>}. JDK + aws-lambda-java-core + serialization only.
 */
public final class ColdStartLauncher {
    private ColdStartLauncher() {
    }

    public static void main(String[] args) throws Exception {
        long main = System.currentTimeMillis();
        if (args.length != 2) {
            System.err.println("usage: ColdStartLauncher package.Class[::method] event.json");
            System.exit(2);
        }
        // The runtime owns stdout; whatever the function prints is its log (stderr here).
        OutputStream protocol = new FileOutputStream(FileDescriptor.out);
        System.setOut(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
        String spec = args[0];
        String className = spec.contains("::") ? spec.substring(0, spec.indexOf("::")) : spec;
        long initDone;
        byte[] response;
        try {
            Class<?> type = Class.forName(className, true, ColdStartLauncher.class.getClassLoader());
            Object handler = type.getConstructor().newInstance();
            initDone = System.currentTimeMillis();
            byte[] event = Files.readAllBytes(Path.of(args[1]));
            LaunchContext context = new LaunchContext(System.getenv().getOrDefault("AWS_LAMBDA_FUNCTION_NAME", type.getSimpleName()));
            if (handler instanceof RequestStreamHandler stream) {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                stream.handleRequest(new ByteArrayInputStream(event), out, context);
                response = out.toByteArray();
            } else if (handler instanceof RequestHandler<?, ?>) {
                response = invokePojo(handler, event, context);
            } else {
                throw new IllegalArgumentException(className + " implements neither RequestStreamHandler nor RequestHandler");
            }
        } catch (Throwable t) {
            Throwable c = t instanceof InvocationTargetException ite && ite.getCause() != null ? ite.getCause() : t;
            StringWriter trace = new StringWriter();
            c.printStackTrace(new PrintWriter(trace));
            System.err.println(trace);
            byte[] error = ("{\"errorType\":\"" + c.getClass().getName() + "\",\"errorMessage\":"
                    + quote(String.valueOf(c.getMessage())) + "}").getBytes(StandardCharsets.UTF_8);
            protocol.write(("CHUNKFLOW-ERROR " + error.length + "\n").getBytes(StandardCharsets.US_ASCII));
            protocol.write(error);
            protocol.flush();
            System.exit(1);
            return;
        }
        protocol.write(("CHUNKFLOW-RESPONSE " + response.length + "\n").getBytes(StandardCharsets.US_ASCII));
        protocol.write(response);
        protocol.flush();
        long responded = System.currentTimeMillis();
        long cpuTicks = cpuTicks();
        // After the response: the parent's clock has stopped, so the management classes cost nothing measured.
        long jvmStart = java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime();
        long classes = java.lang.management.ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount();
        protocol.write(("\nCHUNKFLOW-TIMES jvm_start=" + jvmStart + " main=" + main + " init_done=" + initDone
                + " responded=" + responded + " cpu_ticks=" + cpuTicks + " classes=" + classes + "\n").getBytes(StandardCharsets.US_ASCII));
        protocol.flush();
        System.exit(0);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static byte[] invokePojo(Object handler, byte[] event, LaunchContext context) throws Throwable {
        Method method = null;
        for (Method m : handler.getClass().getMethods()) {
            if (m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge()) {
                method = m;
                break;
            }
        }
        if (method == null) {
            throw new IllegalArgumentException(handler.getClass().getName() + ": no handleRequest(I, Context)");
        }
        Type inputType = method.getGenericParameterTypes()[0];
        Class<?> inputClass = method.getParameterTypes()[0];
        ClassLoader loader = handler.getClass().getClassLoader();
        PojoSerializer in = LambdaEventSerializers.isLambdaSupportedEvent(inputClass.getName())
                ? LambdaEventSerializers.serializerFor(inputClass, loader)
                : JacksonFactory.getInstance().getSerializer(inputType instanceof ParameterizedType ? inputType : inputClass);
        Object input = in.fromJson(new ByteArrayInputStream(event));
        Object output;
        try {
            output = method.invoke(handler, input, context);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        if (output == null) {
            return "null".getBytes(StandardCharsets.US_ASCII);
        }
        PojoSerializer ser = LambdaEventSerializers.isLambdaSupportedEvent(output.getClass().getName())
                ? LambdaEventSerializers.serializerFor(output.getClass(), loader)
                : JacksonFactory.getInstance().getSerializer(output.getClass());
        ser.toJson(output, out);
        return out.toByteArray();
    }

    /** utime + stime of this process so far, in clock ticks (all threads: JIT, GC included); -1 off Linux. */
    private static long cpuTicks() {
        try {
            String stat = Files.readString(Path.of("/proc/self/stat"));
            String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(f[11]) + Long.parseLong(f[12]);
        } catch (Exception | Error e) {
            return -1;
        }
    }

    private static String quote(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                b.append('\\').append(ch);
            } else if (ch < 0x20) {
                b.append(String.format("\\u%04x", (int) ch));
            } else {
                b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
