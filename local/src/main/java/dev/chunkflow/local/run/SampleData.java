package dev.chunkflow.local.run;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.workload.Workload;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Generates sample data straight into S3: the visits data set (one object per 250,000 rows), or any workload's own. */
public final class SampleData {
    static final long ROWS_PER_FILE = 250_000;

    private SampleData() {
    }

    /** @return the number of rows written */
    public static long generateTo(S3Client s3, String bucket, String prefix, long rows, long seed) {
        return generateTo(s3, bucket, prefix, rows, seed, false);
    }

    /** As above; {@code gzip} writes {@code .csv.gz} objects (the generator's own gzip, default level). */
    public static long generateTo(S3Client s3, String bucket, String prefix, long rows, long seed, boolean gzip) {
        int files = filesFor(rows);
        SampleDataGenerator generator = new SampleDataGenerator(SampleDataGenerator.Config.of(rows, seed).withFiles(files)
                .withGzip(gzip));
        return generator.write(i -> upload(s3, bucket, prefix + generator.fileName(i))).rows();
    }

    /** The number of visits objects {@link #generateTo} writes for {@code rows}. */
    public static int filesFor(long rows) {
        return (int) Math.max(1, Math.min(10_000, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
    }

    /** A workload's own sample data; {@link IllegalArgumentException} when it has no generator. */
    public static long generateTo(S3Client s3, String bucket, String prefix, Workload workload, long rows, long seed) {
        dev.chunkflow.workload.SampleData gen = workload.sampleData().orElseThrow(() -> new IllegalArgumentException(
                "workload " + workload.name() + " has no sample data generator: pass --input DIR"));
        return gen.write(rows, seed, name -> upload(s3, bucket, prefix + name));
    }

    /** A stream to a temporary file that becomes the object {@code key} when closed. */
    private static OutputStream upload(S3Client s3, String bucket, String key) {
        try {
            Path tmp = Files.createTempFile("chunkflow-sample-", ".tmp");
            return new FilterOutputStream(new java.io.BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16)) {
                @Override
                public void write(byte[] b, int off, int len) throws IOException {
                    out.write(b, off, len);
                }

                @Override
                public void close() throws IOException {
                    super.close();
                    try {
                        s3.putObject(r -> r.bucket(bucket).key(key), RequestBody.fromFile(tmp));
                    } finally {
                        Files.deleteIfExists(tmp);
                    }
                }
            };
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
