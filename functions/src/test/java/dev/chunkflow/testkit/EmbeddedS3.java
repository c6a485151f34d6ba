package dev.chunkflow.testkit;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.nio2blob.FilesystemNio2BlobStore;
import org.gaul.s3proxy.nio2blob.TransientNio2BlobStore;

/**
 * A real S3 API server (S3Proxy) on loopback, in this JVM: in memory, or on the filesystem under a
 * directory. It checks SigV4 signatures, so presigned URLs and the SDK's signing are exercised for real.
 */
public final class EmbeddedS3 implements AutoCloseable {
    public static final String ACCESS_KEY = "chunkflowlocal";
    public static final String SECRET_KEY = "chunkflowlocalsecret";

    private final S3Proxy proxy;
    private final URI endpoint;

    private EmbeddedS3(BlobStore store, int port) throws Exception {
        this.proxy = S3Proxy.builder()
                .blobStore(store)
                .endpoint(URI.create("http://127.0.0.1:" + port))
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                .ignoreUnknownHeaders(true)
                // Enough request threads for a local Distributed Map (up to 40 children, each with parallel
                // PUTs): when Jetty's pool is exhausted it drops connections, which S3 never does.
                .jettyMaxThreads(512)
                .build();
        proxy.start();
        long deadline = System.currentTimeMillis() + 10_000;
        while (!"STARTED".equals(proxy.getState())) {
            if (System.currentTimeMillis() > deadline) {
                throw new IllegalStateException("S3 server did not start, state " + proxy.getState());
            }
            Thread.sleep(5);
        }
        this.endpoint = URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    /** In-memory store on a free port. */
    public static EmbeddedS3 inMemory() throws Exception {
        return new EmbeddedS3(new TransientNio2BlobStore(), 0);
    }

    /** Filesystem-backed store under {@code dir} (one sub-directory per bucket), on {@code port} (0 = any free). */
    public static EmbeddedS3 onDisk(Path dir, int port) throws Exception {
        Files.createDirectories(dir);
        return new EmbeddedS3(new FilesystemNio2BlobStore(dir.toAbsolutePath().toString()), port);
    }

    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
    }
}
