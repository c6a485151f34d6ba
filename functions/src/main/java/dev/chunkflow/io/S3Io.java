package dev.chunkflow.io;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.zip.GZIPInputStream;

import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The few S3 operations the pipeline uses, on one bucket-agnostic client. Reads of a missing key throw
 * {@link software.amazon.awssdk.services.s3.model.NoSuchKeyException} whether S3 answered 404 or, to a
 * role without {@code s3:ListBucket}, 403 ({@link MissingObjects}).
 *
 * <p>Every call is retried (up to {@link #ATTEMPTS} times) when the connection fails at the I/O level:
 * the url-connection HTTP client reports a kept-alive connection that the server closed as an
 * {@link UncheckedIOException} ("Unexpected end of file from server"), which the SDK's own retry does
 * not cover. Every write here is idempotent (same key, same bytes), so repeating it is safe.
 */
public final class S3Io {
    static final int ATTEMPTS = 4;
    static final String ATTEMPT_METADATA = "chunkflow-attempt";
    private final S3Client s3;

    public S3Io(S3Client s3) {
        this.s3 = s3;
    }

    public S3Client client() {
        return s3;
    }

    static <T> T retrying(Supplier<T> call) {
        for (int attempt = 1; ; attempt++) {
            try {
                return call.get();
            } catch (UncheckedIOException | SdkClientException e) {
                boolean io = e instanceof UncheckedIOException || e.getCause() instanceof IOException;
                if (!io || attempt >= ATTEMPTS) {
                    throw e;
                }
                try {
                    Thread.sleep(20L * attempt);
                } catch (InterruptedException ie) {
                    Thread.currentThread().interrupt();
                    throw e;
                }
            }
        }
    }

    public void put(String bucket, String key, byte[] body, String contentType) {
        retrying(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType), RequestBody.fromBytes(body)));
    }

    /**
     * PUTs {@code body[0..length)} without copying it ({@link RequestBody#fromBytes} copies: for large
     * objects built in the heap that doubles what they hold). The caller must not change it meanwhile.
     */
    public void put(String bucket, String key, byte[] body, int length, String contentType) {
        retrying(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType),
                RequestBody.fromContentProvider(() -> new java.io.ByteArrayInputStream(body, 0, length), length, contentType)));
    }

    /**
     * Conditional create ({@code If-None-Match: *}). Returns false when the object already existed
     * (412 Precondition Failed): that is how a retried task learns that an earlier attempt committed.
     * Each call tags its write with a random attempt id (user metadata), so when the response of a
     * successful write is lost and the repeat gets 412, the object's tag still shows it was this call's
     * write and the answer is true. The body is untouched (same bytes, same ETag).
     */
    public boolean putIfAbsent(String bucket, String key, byte[] body, String contentType) {
        String attempt = java.util.UUID.randomUUID().toString();
        try {
            retrying(() -> s3.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*")
                    .metadata(java.util.Map.of(ATTEMPT_METADATA, attempt)), RequestBody.fromBytes(body)));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                String existing = retrying(() -> s3.headObject(b -> b.bucket(bucket).key(key))).metadata().get(ATTEMPT_METADATA);
                return attempt.equals(existing);
            }
            throw e;
        }
    }

    public byte[] getBytes(String bucket, String key) {
        return MissingObjects.read(bucket, key, () -> retrying(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray()));
    }

    /**
     * The object's bytes, or null when there is none: for reads that expect a miss, so without
     * {@link MissingObjects}' warning (a 403 is a miss to a role without s3:ListBucket).
     */
    public byte[] getBytesIfExists(String bucket, String key) {
        try {
            return retrying(() -> s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
        } catch (S3Exception e) {
            if (e.statusCode() == 403 || e.statusCode() == 404) {
                return null;
            }
            throw e;
        }
    }

    /**
     * Whether the object exists (one HEAD; 404 is "no"). For callers allowed s3:ListBucket (the local
     * runner's checks, tests): without it S3 answers a missing key with 403, which is thrown here.
     */
    public boolean exists(String bucket, String key) {
        try {
            s3.headObject(b -> b.bucket(bucket).key(key));
            return true;
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    /** An object's body; a connection that drops part-way is resumed ({@link ResumingBody}). */
    public ResponseInputStream<GetObjectResponse> open(String bucket, String key) {
        return ResumingBody.of(s3, bucket, key,
                MissingObjects.read(bucket, key, () -> retrying(() -> s3.getObject(b -> b.bucket(bucket).key(key)))));
    }

    /** An object's bytes as stored, pinned to {@code etag} ({@code If-Match}; 412 if it changed since); resumed as {@link #open}. */
    public InputStream openPinned(String bucket, String key, String etag) {
        return ResumingBody.of(s3, bucket, key, retrying(() -> s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag))));
    }

    /** An object's bytes from {@code fromByte} to its end, pinned to {@code etag} ({@code If-Match}; 412 if it changed since). */
    public InputStream openPinnedFrom(String bucket, String key, String etag, long fromByte) {
        if (fromByte == 0) {
            return openPinned(bucket, key, etag);
        }
        return retrying(() -> s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag).range("bytes=" + fromByte + "-")));
    }

    /**
     * Lines of an object, gunzipped when the key ends in {@code .gz}; streamed, never whole in memory.
     * With an ETag the read is pinned to that version ({@code If-Match}; 412 if it changed since).
     */
    public BufferedReader openLines(String bucket, String key, String etag) {
        InputStream in = etag == null ? open(bucket, key)
                : ResumingBody.of(s3, bucket, key,
                        MissingObjects.read(bucket, key, () -> retrying(() -> s3.getObject(b -> b.bucket(bucket).key(key).ifMatch(etag)))));
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
        return retrying(() -> {
            List<S3Object> all = new ArrayList<>();
            s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents().forEach(all::add);
            return all;
        });
    }

    private static void closeQuietly(InputStream in) {
        try {
            in.close();
        } catch (IOException ignored) {
            // already failing
        }
    }
}
