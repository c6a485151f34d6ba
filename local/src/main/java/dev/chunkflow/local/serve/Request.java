package dev.chunkflow.local.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import com.sun.net.httpserver.HttpExchange;

import dev.chunkflow.common.Json;

/** One request on the edge port: method, raw path and query, lower-case headers, the body read once; and the ways to answer. */
final class Request {
    final HttpExchange exchange;
    final String method;
    final String rawPath;
    final String rawQuery;
    final Map<String, List<String>> headers = new LinkedHashMap<>();
    final byte[] body;
    final Optional<SigV4.Credential> credential;

    Request(HttpExchange exchange) throws IOException {
        this.exchange = exchange;
        this.method = exchange.getRequestMethod();
        this.rawPath = exchange.getRequestURI().getRawPath() == null ? "/" : exchange.getRequestURI().getRawPath();
        this.rawQuery = exchange.getRequestURI().getRawQuery();
        exchange.getRequestHeaders().forEach((k, v) -> headers.put(k.toLowerCase(java.util.Locale.ROOT), v));
        try (InputStream in = exchange.getRequestBody()) {
            this.body = in.readAllBytes();
        }
        this.credential = SigV4.parse(header("authorization"));
    }

    String header(String name) {
        List<String> v = headers.get(name);
        return v == null || v.isEmpty() ? null : v.get(0);
    }

    /** A query parameter, decoded; null when absent. */
    String query(String name) {
        if (rawQuery == null) {
            return null;
        }
        for (String pair : rawQuery.split("&")) {
            int eq = pair.indexOf('=');
            String k = java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (k.equals(name)) {
                return eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    boolean signedBy(String secretKey) {
        return credential.isPresent() && SigV4.verify(credential.get(), secretKey, method, rawPath, rawQuery, headers, body);
    }

    void reply(int status, String contentType, byte[] bytes, Map<String, String> extraHeaders) throws IOException {
        exchange.getResponseHeaders().set("Content-Type", contentType);
        exchange.getResponseHeaders().set("x-amzn-RequestId", java.util.UUID.randomUUID().toString());
        extraHeaders.forEach((k, v) -> exchange.getResponseHeaders().set(k, v));
        boolean noBody = method.equals("HEAD") || bytes.length == 0;
        exchange.sendResponseHeaders(status, noBody ? -1 : bytes.length);
        if (!noBody) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
        exchange.close();
    }

    void json(int status, Object body, Map<String, String> extraHeaders) throws IOException {
        reply(status, "application/json", Json.bytes(body), extraHeaders);
    }

    void json(int status, Object body) throws IOException {
        json(status, body, Map.of());
    }
}
