package dev.chunkflow.local.serve;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;

/** HTTP API calls signed as an IAM caller signs them (the SDK's SigV4 signer, service execute-api). */
public final class SignedHttp {
    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(10)).build();
    private final AwsV4HttpSigner signer = AwsV4HttpSigner.create();
    private final AwsBasicCredentials credentials;
    private final java.util.concurrent.atomic.AtomicInteger transportRetries = new java.util.concurrent.atomic.AtomicInteger();

    public SignedHttp(String accessKey, String secretKey) {
        this.credentials = AwsBasicCredentials.create(accessKey, secretKey);
    }

    public HttpResponse<String> send(String method, URI uri, String body) throws Exception {
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        SdkHttpFullRequest.Builder unsigned = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(uri);
        if (body != null) {
            unsigned.putHeader("Content-Type", "application/json");
        }
        SignedRequest signed = signer.sign(r -> r.identity(credentials).request(unsigned.build())
                .payload(() -> new ByteArrayInputStream(bytes))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, "execute-api")
                .putProperty(AwsV4HttpSigner.REGION_NAME, "us-east-1"));
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(120))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(bytes));
        signed.request().headers().forEach((name, values) -> {
            if (!name.equalsIgnoreCase("host")) {
                values.forEach(v -> b.header(name, v));
            }
        });
        HttpRequest request = b.build();
        // As the SDKs do, a connection that dies before any answer is tried again (a fresh signature is not needed).
        for (int attempt = 1; ; attempt++) {
            try {
                return client.send(request, HttpResponse.BodyHandlers.ofString());
            } catch (java.io.IOException e) {
                if (attempt == 3 || e instanceof java.net.http.HttpTimeoutException) {
                    throw e;
                }
                transportRetries.incrementAndGet();
            }
        }
    }

    /** Requests sent again because their connection closed before an answer. */
    public int transportRetries() {
        return transportRetries.get();
    }

    public HttpResponse<String> unsigned(String method, URI uri) throws Exception {
        return client.send(HttpRequest.newBuilder(uri).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }
}
