package dev.chunkflow.local.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;

/**
 * The template's HTTP API on the edge port: its routes ({@code Events} of type HttpApi), the IAM
 * authorizer's SigV4 check (unsigned or wrongly signed requests get 403, as from API Gateway), the
 * route throttle (429), and the Lambda proxy integration with payload format 2.0.
 */
final class HttpApiRoutes {
    private record Route(String method, String path, Pattern pattern, List<String> params, String function) {
    }

    private final LocalApp app;
    private final String secretKey;
    private final List<Route> routes = new ArrayList<>();
    private final Map<Route, Throttle> throttles = new java.util.concurrent.ConcurrentHashMap<>();
    private volatile int burst;
    private volatile double rate;

    HttpApiRoutes(LocalApp app, String secretKey) {
        this.app = app;
        this.secretKey = secretKey;
        int b = 5000;
        double r = 10000;
        for (Map.Entry<String, Map<String, Object>> res : app.template().resources().entrySet()) {
            if ("AWS::Serverless::HttpApi".equals(res.getValue().get("Type"))) {
                Object settings = app.template().properties(res.getKey()).get("DefaultRouteSettings");
                if (settings instanceof Map<?, ?> s) {
                    if (s.get("ThrottlingBurstLimit") instanceof Number n) {
                        b = n.intValue();
                    }
                    if (s.get("ThrottlingRateLimit") instanceof Number n) {
                        r = n.doubleValue();
                    }
                }
            }
        }
        this.burst = b;
        this.rate = r;
        app.template().functions().keySet().forEach(fn -> {
            Object events = app.template().properties(fn).get("Events");
            if (events instanceof Map<?, ?> ev) {
                ev.values().forEach(e -> {
                    if (e instanceof Map<?, ?> em && "HttpApi".equals(em.get("Type")) && em.get("Properties") instanceof Map<?, ?> p) {
                        String path = String.valueOf(p.get("Path"));
                        List<String> params = new ArrayList<>();
                        Matcher m = Pattern.compile("\\{([^}]+)}").matcher(path);
                        StringBuilder regex = new StringBuilder();
                        int last = 0;
                        while (m.find()) {
                            regex.append(Pattern.quote(path.substring(last, m.start()))).append("([^/]+)");
                            params.add(m.group(1));
                            last = m.end();
                        }
                        regex.append(Pattern.quote(path.substring(last)));
                        routes.add(new Route(String.valueOf(p.get("Method")).toUpperCase(Locale.ROOT), path,
                                Pattern.compile(regex.toString()), params, fn));
                    }
                });
            }
        });
    }

    /** Replaces the template's route throttle (each route has its own bucket, as DefaultRouteSettings gives). */
    void throttle(int newBurst, double newRate) {
        this.burst = newBurst;
        this.rate = newRate;
        throttles.clear();
    }

    int burst() {
        return burst;
    }

    double rate() {
        return rate;
    }

    /** Whether a path belongs to the HTTP API. */
    boolean owns(String rawPath) {
        return routes.stream().anyMatch(r -> r.pattern().matcher(rawPath).matches());
    }

    void handle(Request r) throws IOException {
        if (r.credential.isEmpty()) {
            r.json(403, Map.of("message", "Forbidden"));
            return;
        }
        if (!r.credential.get().service().equals("execute-api") || !r.signedBy(secretKey)) {
            r.json(403, Map.of("message", "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method. Consult the service documentation for details."));
            return;
        }
        Route route = null;
        Matcher match = null;
        for (Route candidate : routes) {
            Matcher m = candidate.pattern().matcher(r.rawPath);
            if (candidate.method().equals(r.method) && m.matches()) {
                route = candidate;
                match = m;
                break;
            }
        }
        if (route == null) {
            r.json(404, Map.of("message", "Not Found"));
            return;
        }
        if (!throttles.computeIfAbsent(route, k -> new Throttle(burst, rate)).tryAcquire()) {
            r.json(429, Map.of("message", "Too Many Requests"));
            return;
        }
        Map<String, String> pathParams = new LinkedHashMap<>();
        for (int i = 0; i < route.params().size(); i++) {
            pathParams.put(route.params().get(i), java.net.URLDecoder.decode(match.group(i + 1), StandardCharsets.UTF_8));
        }
        byte[] event = Json.bytes(event(r, route, pathParams));
        JsonNode response;
        try {
            response = Json.readTree(app.invoke(route.function(), event));
        } catch (FunctionError e) {
            // What API Gateway's access log calls integrationError; the caller only sees the 500.
            dev.chunkflow.common.Log.warn("integration error", "route", route.method() + " " + route.path(), "function",
                    route.function(), "error", e.errorType(), "detail", String.valueOf(e.getMessage()).substring(0,
                            Math.min(300, String.valueOf(e.getMessage()).length())));
            r.json(500, Map.of("message", "Internal Server Error"));
            return;
        }
        if (response.isObject() && response.has("statusCode")) {
            Map<String, String> headers = new LinkedHashMap<>();
            response.path("headers").properties().forEach(h -> headers.put(h.getKey(), h.getValue().asText()));
            String body = response.path("body").asText("");
            byte[] bytes = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body)
                    : body.getBytes(StandardCharsets.UTF_8);
            String type = headers.getOrDefault("content-type", headers.getOrDefault("Content-Type", "application/json"));
            headers.keySet().removeIf(k -> k.equalsIgnoreCase("content-type"));
            r.reply(response.path("statusCode").asInt(), type, bytes, headers);
        } else {
            r.reply(200, "application/json", Json.bytes(response), Map.of());
        }
    }

    /** The API Gateway v2 (payload format 2.0) event of a request, with the IAM authorizer's identity. */
    private ObjectNode event(Request r, Route route, Map<String, String> pathParams) {
        ObjectNode e = Json.MAPPER.createObjectNode();
        String routeKey = route.method() + " " + route.path();
        e.put("version", "2.0");
        e.put("routeKey", routeKey);
        e.put("rawPath", r.rawPath);
        e.put("rawQueryString", r.rawQuery == null ? "" : r.rawQuery);
        ObjectNode headers = e.putObject("headers");
        r.headers.forEach((k, v) -> headers.put(k, String.join(",", v)));
        if (r.rawQuery != null && !r.rawQuery.isEmpty()) {
            ObjectNode q = e.putObject("queryStringParameters");
            for (String pair : r.rawQuery.split("&")) {
                int eq = pair.indexOf('=');
                String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                q.put(k, q.has(k) ? q.get(k).asText() + "," + v : v);
            }
        }
        if (!pathParams.isEmpty()) {
            ObjectNode p = e.putObject("pathParameters");
            pathParams.forEach(p::put);
        }
        ObjectNode ctx = e.putObject("requestContext");
        ctx.put("accountId", LocalArns.ACCOUNT);
        ctx.put("apiId", "local");
        ctx.put("domainName", r.header("host") == null ? "127.0.0.1" : r.header("host"));
        ctx.put("domainPrefix", "local");
        ObjectNode http = ctx.putObject("http");
        http.put("method", r.method);
        http.put("path", r.rawPath);
        http.put("protocol", "HTTP/1.1");
        http.put("sourceIp", r.exchange.getRemoteAddress().getAddress().getHostAddress());
        http.put("userAgent", r.header("user-agent") == null ? "" : r.header("user-agent"));
        ctx.put("requestId", java.util.UUID.randomUUID().toString());
        ctx.put("routeKey", routeKey);
        ctx.put("stage", "$default");
        ZonedDateTime now = ZonedDateTime.now(ZoneOffset.UTC);
        ctx.put("time", now.format(DateTimeFormatter.ofPattern("dd/MMM/yyyy:HH:mm:ss Z", Locale.ENGLISH)));
        ctx.put("timeEpoch", now.toInstant().toEpochMilli());
        ObjectNode iam = ctx.putObject("authorizer").putObject("iam");
        String accessKey = r.credential.get().accessKey();
        iam.put("accessKey", accessKey);
        iam.put("accountId", LocalArns.ACCOUNT);
        iam.put("callerId", accessKey);
        iam.put("userArn", "arn:aws:iam::" + LocalArns.ACCOUNT + ":user/local");
        iam.put("userId", accessKey);
        if (r.body.length > 0) {
            boolean text = isText(r.header("content-type"));
            e.put("body", text ? new String(r.body, StandardCharsets.UTF_8) : Base64.getEncoder().encodeToString(r.body));
            e.put("isBase64Encoded", !text);
        } else {
            e.put("isBase64Encoded", false);
        }
        return e;
    }

    private static boolean isText(String contentType) {
        return contentType == null || contentType.startsWith("text/") || contentType.contains("json") || contentType.contains("xml")
                || contentType.contains("x-www-form-urlencoded");
    }
}
