package dev.chunkflow.io;

import java.io.IOException;
import java.io.InputStream;

import dev.chunkflow.common.Log;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A GetObject body that survives its connection dropping part-way (a reset, a read timeout): it asks
 * again for the rest ({@code Range: bytes=N-}), pinned to the first response's ETag ({@code If-Match},
 * so the rest is of the same object version), at most {@value #MAX_RESUMES} times. The SDK retries a
 * failed request, not a body that its caller is already reading; without this, one reset fails the
 * whole task (found by {@code chunkflow chaos}: get-reset on GetChunks' source read and Summarize's
 * manifest read).
 */
final class ResumingBody extends InputStream {
    static final int MAX_RESUMES = 3;

    private final S3Client s3;
    private final String bucket;
    private final String key;
    private final String etag;
    private InputStream in;
    private long position;
    private int resumes;

    private ResumingBody(S3Client s3, String bucket, String key, ResponseInputStream<GetObjectResponse> first) {
        this.s3 = s3;
        this.bucket = bucket;
        this.key = key;
        this.etag = first.response().eTag();
        this.in = first;
    }

    /** {@code first} with the same response, its body resuming where it broke. */
    static ResponseInputStream<GetObjectResponse> of(S3Client s3, String bucket, String key,
                                                     ResponseInputStream<GetObjectResponse> first) {
        if (first.response().eTag() == null) {
            return first;
        }
        return new ResponseInputStream<>(first.response(), new ResumingBody(s3, bucket, key, first));
    }

    @Override
    public int read() throws IOException {
        while (true) {
            try {
                int b = in.read();
                if (b >= 0) {
                    position++;
                }
                return b;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            try {
                int n = in.read(b, off, len);
                if (n > 0) {
                    position += n;
                }
                return n;
            } catch (IOException e) {
                resume(e);
            }
        }
    }

    private void resume(IOException e) throws IOException {
        if (++resumes > MAX_RESUMES) {
            throw e;
        }
        Log.warn("S3 read broke off; resuming", "bucket", bucket, "key", key, "at_byte", position,
                "error", String.valueOf(e.getMessage()));
        try {
            in.close();
        } catch (IOException ignored) {
            // the connection is gone already
        }
        long from = position;
        in = S3Io.retrying(() -> s3.getObject(r -> r.bucket(bucket).key(key).ifMatch(etag).range("bytes=" + from + "-")));
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
