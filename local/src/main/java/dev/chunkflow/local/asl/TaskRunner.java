package dev.chunkflow.local.asl;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.UUID;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Task states with Lambda resources, invoked through the same JSON bytes path Lambda uses:
 * a function ARN (the result is the function's response) or {@code arn:aws:states:::lambda:invoke}
 * (the result is the Invoke API response: ExecutedVersion, Payload, SdkHttpMetadata, StatusCode...).
 */
final class TaskRunner {
    private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
            .withZone(ZoneOffset.UTC);

    private final ExecutionEnv env;

    TaskRunner(ExecutionEnv env) {
        this.env = env;
    }

    JsonNode run(TaskState t, JsonNode eff, Interpreter.StateRun run) {
        if (t.isLambdaInvoke()) {
            return invokeIntegration(t, eff, run);
        }
        if (t.isLambdaFunctionArn()) {
            return invokeFunctionArn(t, eff, run);
        }
        throw StatesFailure.runtime("The resource '" + t.resource + "' is not supported by the local engine"
                + " (Lambda function ARNs and arn:aws:states:::lambda:invoke are)");
    }

    private JsonNode invokeFunctionArn(TaskState t, JsonNode eff, Interpreter.StateRun run) {
        Scope scope = run.scope;
        scope.event("LambdaFunctionScheduled", d -> {
            d.put("resource", t.resource);
            d.put("input", AslJson.write(eff));
            d.putObject("inputDetails").put("truncated", false);
        });
        scope.event("LambdaFunctionStarted", null);
        try {
            byte[] response = invoke(t.resource, AslJson.bytes(eff), run);
            JsonNode result = parseResponse(response);
            scope.event("LambdaFunctionSucceeded", d -> {
                d.put("output", AslJson.write(result));
                d.putObject("outputDetails").put("truncated", false);
            });
            return result;
        } catch (TaskFailure f) {
            Interpreter.quietEvent(scope, "LambdaFunctionFailed", d -> errorDetails(d, f));
            throw new StatesFailure(f.error(), f.cause());
        }
    }

    private JsonNode invokeIntegration(TaskState t, JsonNode eff, Interpreter.StateRun run) {
        Scope scope = run.scope;
        JsonNode fn = eff.get("FunctionName");
        if (fn == null || !fn.isTextual()) {
            throw StatesFailure.runtime("The field 'FunctionName' is required by " + t.resource + " and must be a string");
        }
        String region = env.config().region();
        scope.event("TaskScheduled", d -> {
            d.put("resourceType", "lambda");
            d.put("resource", "invoke");
            d.put("region", region);
            d.put("parameters", AslJson.write(eff));
        });
        scope.event("TaskStarted", d -> {
            d.put("resourceType", "lambda");
            d.put("resource", "invoke");
        });
        try {
            JsonNode payload = eff.has("Payload") ? eff.get("Payload") : AslJson.NODES.objectNode();
            byte[] response = invoke(fn.textValue(), AslJson.bytes(payload), run);
            JsonNode result = invokeResponse(parseResponse(response), response.length);
            scope.event("TaskSucceeded", d -> {
                d.put("resourceType", "lambda");
                d.put("resource", "invoke");
                d.put("output", AslJson.write(result));
                d.putObject("outputDetails").put("truncated", false);
            });
            return result;
        } catch (TaskFailure f) {
            Interpreter.quietEvent(scope, "TaskFailed", d -> {
                d.put("resourceType", "lambda");
                d.put("resource", "invoke");
                errorDetails(d, f);
            });
            throw new StatesFailure(f.error(), f.cause());
        }
    }

    private byte[] invoke(String function, byte[] request, Interpreter.StateRun run) {
        String exec = run.scope.ex.name;
        String state = run.state.name;
        if (env.stats().lambdaRequest(exec, state, request.length)) {
            throw new TaskFailure("Lambda.RequestTooLargeException", "Request must be smaller than "
                    + env.limits().lambdaRequestBytes() + " bytes for the InvokeFunction operation (Service: AWSLambda; Status Code: 413;"
                    + " Error Code: RequestEntityTooLargeException; Request ID: " + UUID.randomUUID() + "; Proxy: null)");
        }
        byte[] response;
        try {
            response = env.lambda().invoke(function, request);
        } catch (TaskFailure f) {
            throw f;
        } catch (RuntimeException e) {
            // An exception escaping the handler: reported the way the Java Lambda runtime reports it.
            throw TaskFailure.functionError(e.getClass().getName(), String.valueOf(e.getMessage()));
        }
        if (response == null) {
            response = "null".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        if (env.stats().lambdaResponse(exec, state, response.length)) {
            throw TaskFailure.functionError("Function.ResponseSizeTooLarge",
                    "Response payload size exceeded maximum allowed payload size (" + env.limits().lambdaResponseBytes() + " bytes).");
        }
        return response;
    }

    private static JsonNode parseResponse(byte[] response) {
        if (response.length == 0) {
            return AslJson.NODES.nullNode();
        }
        try {
            return AslJson.parse(response);
        } catch (IllegalArgumentException e) {
            return TextNode.valueOf(new String(response, java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The Lambda Invoke response as Step Functions' lambda:invoke integration returns it. */
    private JsonNode invokeResponse(JsonNode payload, int contentLength) {
        String requestId = UUID.randomUUID().toString();
        String date = HTTP_DATE.format(env.time().now());
        String trace = "Root=1-" + Long.toHexString(env.time().now().getEpochSecond()) + "-" + requestId.replace("-", "").substring(0, 24) + ";Sampled=0";
        ObjectNode r = AslJson.NODES.objectNode();
        r.put("ExecutedVersion", "$LATEST");
        r.set("Payload", payload);
        ObjectNode http = r.putObject("SdkHttpMetadata");
        ObjectNode all = http.putObject("AllHttpHeaders");
        all.putArray("X-Amz-Executed-Version").add("$LATEST");
        all.putArray("x-amzn-Remapped-Content-Length").add("0");
        all.putArray("Connection").add("keep-alive");
        all.putArray("x-amzn-RequestId").add(requestId);
        all.putArray("Content-Length").add(String.valueOf(contentLength));
        all.putArray("Date").add(date);
        all.putArray("X-Amzn-Trace-Id").add(trace);
        all.putArray("Content-Type").add("application/json");
        ObjectNode headers = http.putObject("HttpHeaders");
        headers.put("Connection", "keep-alive");
        headers.put("Content-Length", String.valueOf(contentLength));
        headers.put("Content-Type", "application/json");
        headers.put("Date", date);
        headers.put("X-Amz-Executed-Version", "$LATEST");
        headers.put("x-amzn-Remapped-Content-Length", "0");
        headers.put("x-amzn-RequestId", requestId);
        headers.put("X-Amzn-Trace-Id", trace);
        http.put("HttpStatusCode", 200);
        r.putObject("SdkResponseMetadata").put("RequestId", requestId);
        r.put("StatusCode", 200);
        return r;
    }

    private static void errorDetails(ObjectNode d, TaskFailure f) {
        if (f.error() != null) {
            d.put("error", f.error());
        }
        if (f.cause() != null) {
            d.put("cause", f.cause());
        }
    }
}
