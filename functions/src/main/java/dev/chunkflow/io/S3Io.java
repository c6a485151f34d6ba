package dev.chunkflow.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The few S3 operations the pipeline uses, on one bucket-agnostic client. */
public final class S3Io {
    private final S3Client s3;

    public S3Io(S3Client s3) {
        this.s3 = s3;
    }

    public S3Client client() {
        return s3;
    }

    public void put(String bucket, String key, byte[] body, String contentType) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body));
    }

    public void put(String bucket, String key, byte[] body, String contentType, Map<String, String> metadata) {
        s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(metadata), RequestBody.fromBytes(body));
    }

    /**
     * Conditional create ({@code If-None-Match: *}). Returns false when the object already exists
     * (412 Precondition Failed), which is how a retried task learns that an earlier attempt committed.
     */
    public boolean putIfAbsent(String bucket, String key, byte[] body, String contentType) {
        // The attempt id tells our own PUT apart from another invocation's: when the SDK retries a PUT
        // whose first try did land (the response was lost), the retry gets 412 although this call created
        // the object. The body stays byte-identical across attempts; only the metadata differs.
        String attempt = java.util.UUID.randomUUID().toString();
        try {
            s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*")
                    .metadata(java.util.Map.of(ATTEMPT_METADATA, attempt)), RequestBody.fromBytes(body));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                return attempt.equals(s3.headObject(b -> b.bucket(bucket).key(key)).metadata().get(ATTEMPT_METADATA));
            }
            throw e;
        }
    }

    /** User metadata (x-amz-meta-chunkflow-attempt) naming the putIfAbsent call that created an object. */
    static final String ATTEMPT_METADATA = "chunkflow-attempt";

    public byte[] getBytes(String bucket, String key) {
        return s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray();
    }

    public ResponseInputStream<GetObjectResponse> open(String bucket, String key) {
        return s3.getObject(b -> b.bucket(bucket).key(key));
    }

    /**
     * Lines of an object, gunzipped when the key ends in {@code .gz}; streamed, never whole in memory.
     * With an ETag the read is pinned to that version ({@code If-Match}; 412 if it changed since).
     */
    public BufferedReader openLines(String bucket, String key, String etag) {
        InputStream in = etag == null ? open(bucket, key) : s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag));
        try {
            if (key.toLowerCase(java.util.Locale.ROOT).endsWith(".gz")) {
                in = new GZIPInputStream(in, 64 * 1024);
            }
        } catch (IOException e) {
            closeQuietly(in);
            throw new UncheckedIOException("s3://" + bucket + "/" + key + " is not valid gzip", e);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 256 * 1024);
    }

    /** Every object under a prefix, in key order (S3 lists in UTF-8 binary order). */
    public List<S3Object> list(String bucket, String prefix) {
        List<S3Object> all = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(all::add);
        return all;
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
