package dev.chunkflow.offload;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Collection;
import java.util.HexFormat;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import dev.chunkflow.common.Log;
import dev.chunkflow.io.MissingObjects;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

/**
 * JSON documents in one S3 bucket, stored gzip with {@code Content-Type: application/json} and
 * {@code Content-Encoding: gzip}, so a browser opening a presigned URL sees plain JSON.
 * Keys are never overwritten by the job store (each write has a fresh key), so what a key holds never
 * changes: that is what lets an item version point to exactly the bytes it committed.
 *
 * <p>The S3 client and presigner are taken as suppliers and asked for on first use only: most jobs are
 * never offloaded, and building an SDK client is a large share of a cold start (see docs/benchmarks.md,
 * section 5), so StartJob, GetJob and UpdateJob build no S3 client at all for a job that fits its item.
 */
public final class JsonObjects {
    public static final String CONTENT_TYPE = "application/json";
    private final Supplier<S3Client> s3;
    private final Supplier<S3Presigner> presigner;
    private final String bucket;

    public JsonObjects(S3Client s3, S3Presigner presigner, String bucket) {
        this(() -> s3, () -> presigner, bucket);
    }

    /** Lazy: the suppliers are called on the first S3 call or presign (they should cache, as {@code AwsClients} does). */
    public JsonObjects(Supplier<S3Client> s3, Supplier<S3Presigner> presigner, String bucket) {
        this.s3 = s3;
        this.presigner = presigner;
        this.bucket = bucket;
    }

    public String bucket() {
        return bucket;
    }

    /** Size (bytes) and SHA-256 (hex) of a JSON document, both of its uncompressed form. */
    public record Stored(String key, long size, String sha256) {
    }

    public Stored put(String key, byte[] json) {
        String sha = sha256(json);
        s3.get().putObject(b -> b.bucket(bucket).key(key).contentType(CONTENT_TYPE).contentEncoding("gzip")
                        .metadata(java.util.Map.of("sha256", sha, "uncompressed-bytes", Long.toString(json.length))),
                RequestBody.fromBytes(gzip(json)));
        return new Stored(key, json.length, sha);
    }

    /** The uncompressed document, or empty if there is no such object. */
    public Optional<byte[]> get(String key) {
        try {
            ResponseBytes<GetObjectResponse> r = MissingObjects.read(bucket, key, () -> s3.get().getObjectAsBytes(b -> b.bucket(bucket).key(key)));
            return Optional.of(gunzipIfNeeded(r.asByteArrayUnsafe()));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        }
    }

    public boolean exists(String key) {
        try {
            MissingObjects.read(bucket, key, () -> s3.get().headObject(b -> b.bucket(bucket).key(key)));
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        }
    }

    /** Best effort: a failed delete leaves an unreferenced object (logged), never a broken item. */
    public void deleteQuietly(Collection<String> keys) {
        for (String key : keys) {
            try {
                s3.get().deleteObject(b -> b.bucket(bucket).key(key));
            } catch (RuntimeException e) {
                Log.warn("could not delete unreferenced object", "bucket", bucket, "key", key,
                        "error", e.getClass().getSimpleName());
            }
        }
    }

    public URL presignGet(String key, Duration ttl) {
        return presigner.get().presignGetObject(p -> p.signatureDuration(ttl)
                .getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    public static String sha256(byte[] data) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Fastest deflate level: a job's steps are rewritten on every append while offloaded, and level 1 is
     * several times faster than the default for a few percent more bytes (a negligible S3 cost).
     */
    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, data.length / 4));
        try (GZIPOutputStream gz = new GZIPOutputStream(out, 64 * 1024) {
            {
                def.setLevel(Deflater.BEST_SPEED);
            }
        }) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] gunzipIfNeeded(byte[] data) {
        if (data.length < 2 || (data[0] & 0xff) != 0x1f || (data[1] & 0xff) != 0x8b) {
            return data;
        }
        try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data), 64 * 1024)) {
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
