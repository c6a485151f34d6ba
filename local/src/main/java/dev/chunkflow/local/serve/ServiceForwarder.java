package dev.chunkflow.local.serve;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * Passes a request through to an embedded server (S3, DynamoDB Local) unchanged: same method, path,
 * query, headers (Host included, since it is signed) and body, and its answer back as it came.
 */
final class ServiceForwarder {
    static {
        // The signed Host header must reach the S3 server as the client sent it (the JDK client refuses it otherwise).
        System.setProperty("jdk.httpclient.allowRestrictedHeaders", "host");
    }

    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "transfer-encoding", "expect",
            "upgrade", "keep-alive", "proxy-connection", "te", "trailer", "http2-settings");

    private final URI target;
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).followRedirects(HttpClient.Redirect.NEVER).build();

    ServiceForwarder(URI target) {
        this.target = target;
    }

    void forward(Request r) throws IOException {
        String pathAndQuery = r.rawPath + (r.rawQuery == null ? "" : "?" + r.rawQuery);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target.toString() + pathAndQuery))
                .method(r.method, r.body.length == 0 && (r.method.equals("GET") || r.method.equals("HEAD") || r.method.equals("DELETE"))
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(r.body));
        r.headers.forEach((name, values) -> {
            if (!HOP_BY_HOP.contains(name)) {
                for (String v : values) {
                    b.header(name, v);
                }
            }
        });
        HttpResponse<InputStream> resp;
        try {
            resp = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
        var out = r.exchange.getResponseHeaders();
        resp.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(java.util.Locale.ROOT);
            if (!HOP_BY_HOP.contains(lower) || (lower.equals("content-length") && r.method.equals("HEAD"))) {
                out.put(name, List.copyOf(values));
            }
        });
        long length = resp.headers().firstValueAsLong("content-length").orElse(-2);
        try (InputStream in = resp.body()) {
            if (r.method.equals("HEAD") || length == 0 || resp.statusCode() == 204 || resp.statusCode() == 304) {
                r.exchange.sendResponseHeaders(resp.statusCode(), -1);
                in.transferTo(OutputStream.nullOutputStream());
            } else {
                r.exchange.sendResponseHeaders(resp.statusCode(), length > 0 ? length : 0);
                try (OutputStream o = r.exchange.getResponseBody()) {
                    in.transferTo(o);
                }
            }
        }
        r.exchange.close();
    }
}
