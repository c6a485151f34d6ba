package dev.chunkflow.io;

import java.util.function.Supplier;

import dev.chunkflow.common.Log;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * S3 answers a GetObject or HeadObject of a missing key with 404 NoSuchKey only to a caller allowed
 * {@code s3:ListBucket} on the bucket; any other caller gets 403 AccessDenied, so that it learns nothing
 * about which keys exist. chunkflow's roles grant ListBucket only where a function lists, so on these
 * reads a 403 means "missing" as much as a 404 does (and a genuinely missing grant shows up the same way:
 * the log line names the key). Reads go through {@link #read}, which turns both into
 * {@link NoSuchKeyException}, the one exception callers catch for "no such object".
 */
public final class MissingObjects {
    private MissingObjects() {
    }

    public static <T> T read(String bucket, String key, Supplier<T> read) {
        try {
            return read.get();
        } catch (NoSuchKeyException e) {
            throw e;
        } catch (S3Exception e) {
            if (e.statusCode() != 403 && e.statusCode() != 404) {
                throw e;
            }
            if (e.statusCode() == 403) {
                Log.warn("S3 read answered 403: treated as a missing object (without s3:ListBucket S3 answers a missing key with 403)",
                        "bucket", bucket, "key", key);
            }
            throw (NoSuchKeyException) NoSuchKeyException.builder()
                    .message("s3://" + bucket + "/" + key + " is missing (S3 answered " + e.statusCode() + ")")
                    .statusCode(e.statusCode()).requestId(e.requestId()).cause(e).build();
        }
    }
}
