package dev.chunkflow.local.lambda;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.Json;
import dev.chunkflow.limits.AwsLimits;

/**
 * One Lambda function run in this JVM the way the Java runtime runs it: one handler instance per
 * "execution environment" (constructed once, with the runner's {@link AwsClients}), invoked through
 * bytes (the request JSON is parsed by the handler or by Lambda's own event serializers, the response
 * serialized back), with Lambda's payload limits and error shape.
 */
public final class LocalFunction {
    private final String name;
    private final Object handler;
    private final Method handleRequest;
    private final Class<?> inputType;
    private final int memoryMb;
    private final int timeoutSeconds;

    private LocalFunction(String name, Object handler, int memoryMb, int timeoutSeconds) {
        this.name = name;
        this.handler = handler;
        this.memoryMb = memoryMb;
        this.timeoutSeconds = timeoutSeconds;
        if (handler instanceof RequestStreamHandler) {
            this.handleRequest = null;
            this.inputType = null;
        } else if (handler instanceof RequestHandler<?, ?>) {
            this.handleRequest = Arrays.stream(handler.getClass().getMethods())
                    .filter(m -> m.getName().equals("handleRequest") && m.getParameterCount() == 2 && !m.isBridge())
                    .findFirst()
                    .orElseThrow(() -> new IllegalArgumentException(name + ": no handleRequest(I, Context) method"));
            this.inputType = handleRequest.getParameterTypes()[0];
        } else {
            throw new IllegalArgumentException(name + ": " + handler.getClass().getName()
                    + " implements neither RequestStreamHandler nor RequestHandler");
        }
    }

    /**
     * Loads {@code handlerSpec} ({@code package.Class} or {@code package.Class::handleRequest}), preferring a
     * public constructor taking {@link AwsClients} (so it talks to the embedded services) over the no-arg one.
     */
    public static LocalFunction load(String name, String handlerSpec, AwsClients clients, int memoryMb, int timeoutSeconds) {
        String className = handlerSpec.contains("::") ? handlerSpec.substring(0, handlerSpec.indexOf("::")) : handlerSpec;
        try {
            Class<?> type = Class.forName(className);
            Object instance;
            try {
                Constructor<?> c = type.getConstructor(AwsClients.class);
                instance = c.newInstance(clients);
            } catch (NoSuchMethodException e) {
                instance = type.getConstructor().newInstance();
            }
            return new LocalFunction(name, instance, memoryMb, timeoutSeconds);
        } catch (ClassNotFoundException e) {
            throw new IllegalArgumentException(name + ": handler class " + className + " not found", e);
        } catch (InvocationTargetException e) {
            throw new IllegalStateException(name + ": handler constructor failed: " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalArgumentException(name + ": cannot construct " + className + ": " + e, e);
        }
    }

    public String name() {
        return name;
    }

    /**
     * Invokes the handler with {@code request} (UTF-8 JSON) and returns the response bytes.
     *
     * @throws FunctionError as Lambda reports it: oversized request/response, or the handler's exception
     */
    public byte[] invoke(byte[] request) {
        return invoke(request, java.util.UUID.randomUUID().toString(), timeoutSeconds * 1000L);
    }

    /**
     * Invokes the handler with a context whose request id and remaining time are the invocation's.
     *
     * @throws FunctionError as Lambda reports it: oversized request/response, or the handler's exception
     */
    public byte[] invoke(byte[] request, String requestId, long remainingMillis) {
        if (request.length > AwsLimits.LAMBDA_SYNC_REQUEST_BYTES) {
            throw new FunctionError("Lambda.RequestEntityTooLargeException",
                    "Request must be smaller than " + AwsLimits.LAMBDA_SYNC_REQUEST_BYTES + " bytes for the InvokeFunction operation",
                    "Request must be smaller than " + AwsLimits.LAMBDA_SYNC_REQUEST_BYTES + " bytes for the InvokeFunction operation");
        }
        LocalContext context = new LocalContext(name, memoryMb, requestId, remainingMillis);
        byte[] response;
        try {
            response = handler instanceof RequestStreamHandler stream ? invokeStream(stream, request, context) : invokePojo(request, context);
        } catch (Throwable t) {
            throw toFunctionError(t);
        }
        if (response.length > AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES) {
            String msg = "Response payload size (" + response.length + " bytes) exceeded maximum allowed payload size ("
                    + AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES + " bytes).";
            throw new FunctionError("Function.ResponseSizeTooLarge", msg, errorJson("Function.ResponseSizeTooLarge", msg, List.of()));
        }
        return response;
    }

    private static byte[] invokeStream(RequestStreamHandler stream, byte[] request, LocalContext context) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        stream.handleRequest(new ByteArrayInputStream(request), out, context);
        return out.toByteArray();
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private byte[] invokePojo(byte[] request, LocalContext context) throws Throwable {
        Object input;
        PojoSerializer serializer = null;
        if (LambdaEventSerializers.isLambdaSupportedEvent(inputType.getName())) {
            serializer = LambdaEventSerializers.serializerFor(inputType, getClass().getClassLoader());
            input = serializer.fromJson(new ByteArrayInputStream(request));
        } else {
            input = Json.MAPPER.readValue(request, inputType);
        }
        Object output;
        try {
            output = handleRequest.invoke(handler, input, context);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
        if (output == null) {
            return "null".getBytes();
        }
        if (LambdaEventSerializers.isLambdaSupportedEvent(output.getClass().getName())) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            PojoSerializer outSer = LambdaEventSerializers.serializerFor(output.getClass(), getClass().getClassLoader());
            outSer.toJson(output, out);
            return out.toByteArray();
        }
        return Json.bytes(output);
    }

    private static FunctionError toFunctionError(Throwable t) {
        if (t instanceof FunctionError fe) {
            return fe;
        }
        String type = t.getClass().getName();
        String message = t.getMessage() == null ? "" : t.getMessage();
        List<String> trace = Arrays.stream(t.getStackTrace()).limit(8).map(StackTraceElement::toString).toList();
        return new FunctionError(type, message, errorJson(type, message, trace));
    }

    /** The error document the Java runtime returns; Step Functions puts it in {@code Cause}. */
    static String errorJson(String type, String message, List<String> trace) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("errorMessage", message);
        doc.put("errorType", type);
        if (!trace.isEmpty()) {
            doc.put("stackTrace", trace);
        }
        try {
            return Json.MAPPER.writer().without(com.fasterxml.jackson.databind.SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
                    .writeValueAsString(doc);
        } catch (Exception e) {
            return "{\"errorMessage\":\"" + type + "\"}";
        }
    }
}
