package dev.chunkflow.local.run;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.chunkflow.sample.SampleDataGenerator;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/** Generates the sample visits data set straight into S3 (one object per 250,000 rows). */
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
        int files = (int) Math.max(1, Math.min(10_000, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE));
        SampleDataGenerator generator = new SampleDataGenerator(SampleDataGenerator.Config.of(rows, seed).withFiles(files)
                .withGzip(gzip));
        return generator.write(i -> {
            try {
                Path tmp = Files.createTempFile("chunkflow-sample-", ".csv");
                String key = prefix + generator.fileName(i);
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
        }).rows();
    }
}
