package dev.chunkflow.local.serve;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.template.FunctionDef;

/**
 * The Lambda API (REST JSON, {@code /2015-03-31/functions/...}) for the template's functions: Invoke
 * (RequestResponse with Lambda's payload limits and {@code X-Amz-Function-Error}; DryRun), GetFunction,
 * ListFunctions. Functions are named by logical id or ARN, unqualified, {@code $LATEST} or alias {@code live}.
 */
final class LambdaApi {
    private static final Pattern INVOKE = Pattern.compile("/2015-03-31/functions/([^/]+)/invocations/?");
    private static final Pattern FUNCTION = Pattern.compile("/2015-03-31/functions/([^/]+)/?");
    private static final Pattern LIST = Pattern.compile("/2015-03-31/functions/?");

    private final LocalApp app;
    private final String lastModified = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
            .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSZ"));

    LambdaApi(LocalApp app) {
        this.app = app;
    }

    void handle(Request r) throws IOException {
        Matcher m;
        if (r.method.equals("POST") && (m = INVOKE.matcher(r.rawPath)).matches()) {
            invoke(r, decode(m.group(1)));
        } else if (r.method.equals("GET") && LIST.matcher(r.rawPath).matches()) {
            List<Object> all = new ArrayList<>();
            app.template().functions().values().forEach(f -> all.add(configuration(f)));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("Functions", all);
            r.json(200, body);
        } else if (r.method.equals("GET") && (m = FUNCTION.matcher(r.rawPath)).matches()) {
            FunctionDef f = function(r, decode(m.group(1)));
            if (f != null) {
                Map<String, Object> body = new LinkedHashMap<>();
                body.put("Configuration", configuration(f));
                body.put("Code", Map.of("RepositoryType", "S3", "Location", "file://" + app.template().baseDir().resolve("functions")));
                r.json(200, body);
            }
        } else {
            error(r, 404, "UnknownOperationException", "operation not supported locally: " + r.method + " " + r.rawPath);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The function named, or null after answering ResourceNotFoundException. */
    private FunctionDef function(Request r, String nameOrArn) throws IOException {
        String name = LocalArns.functionName(nameOrArn);
        String qualifier = r.query("Qualifier");
        String inArn = qualifierInName(nameOrArn);
        if (qualifier == null) {
            qualifier = inArn;
        } else if (inArn != null && !inArn.equals(qualifier)) {
            error(r, 400, "InvalidParameterValueException", "The derived qualifier from the function name does not match the specified qualifier.");
            return null;
        }
        FunctionDef f = app.template().functions().get(name);
        if (f == null || (qualifier != null && !qualifier.equals("$LATEST") && !qualifier.equals("live"))) {
            error(r, 404, "ResourceNotFoundException", "Function not found: " + unqualifiedArn(name)
                    + (qualifier == null ? "" : ":" + qualifier));
            return null;
        }
        return f;
    }

    private static String qualifierInName(String nameOrArn) {
        String s = nameOrArn;
        int i = s.indexOf(":function:");
        s = i >= 0 ? s.substring(i + ":function:".length()) : s;
        int q = s.indexOf(':');
        return q >= 0 ? s.substring(q + 1) : null;
    }

    private void invoke(Request r, String nameOrArn) throws IOException {
        FunctionDef f = function(r, nameOrArn);
        if (f == null) {
            return;
        }
        String type = r.header("x-amz-invocation-type");
        if (r.body.length > AwsLimits.LAMBDA_SYNC_REQUEST_BYTES) {
            error(r, 413, "RequestEntityTooLargeException", "Request must be smaller than "
                    + AwsLimits.LAMBDA_SYNC_REQUEST_BYTES + " bytes for the InvokeFunction operation");
            return;
        }
        if ("DryRun".equals(type)) {
            r.reply(204, "application/json", new byte[0], Map.of());
            return;
        }
        if (type != null && !type.equals("RequestResponse")) {
            error(r, 400, "InvalidParameterValueException", "local Invoke supports InvocationType RequestResponse and DryRun, not " + type);
            return;
        }
        byte[] payload = r.body.length == 0 ? "{}".getBytes(StandardCharsets.UTF_8) : r.body;
        try {
            byte[] out = app.invoke(f.logicalId(), payload);
            r.reply(200, "application/json", out, Map.of("X-Amz-Executed-Version", "$LATEST"));
        } catch (FunctionError e) {
            if (e.errorType().equals("Lambda.RequestEntityTooLargeException")) {
                error(r, 413, "RequestEntityTooLargeException", e.getMessage());
                return;
            }
            // A function error is a successful Invoke: 200, the error document, and the header saying so.
            r.reply(200, "application/json", e.causeJson().getBytes(StandardCharsets.UTF_8),
                    Map.of("X-Amz-Function-Error", "Unhandled", "X-Amz-Executed-Version", "$LATEST"));
        }
    }

    private Map<String, Object> configuration(FunctionDef f) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("FunctionName", f.logicalId());
        c.put("FunctionArn", unqualifiedArn(f.logicalId()));
        Object runtime = app.template().globalsFunction().get("Runtime");
        c.put("Runtime", runtime == null ? "java21" : String.valueOf(runtime));
        c.put("Role", "arn:aws:iam::" + LocalArns.ACCOUNT + ":role/" + f.logicalId() + "-role");
        c.put("Handler", f.handler());
        c.put("CodeSize", 0);
        c.put("Timeout", f.timeoutSeconds());
        c.put("MemorySize", f.memorySizeMb());
        c.put("LastModified", lastModified);
        c.put("Version", "$LATEST");
        c.put("State", "Active");
        c.put("PackageType", "Zip");
        c.put("Environment", Map.of("Variables", Map.of()));
        return c;
    }

    static String unqualifiedArn(String name) {
        String q = LocalArns.function(name);
        return q.substring(0, q.lastIndexOf(':'));
    }

    static void error(Request r, int status, String type, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("Type", "User");
        body.put("Message", message);
        body.put("message", message);
        r.json(status, body, Map.of("x-amzn-ErrorType", type));
    }
}
