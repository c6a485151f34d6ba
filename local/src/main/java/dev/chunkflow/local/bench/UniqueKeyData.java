package dev.chunkflow.local.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.zip.GZIPOutputStream;

import dev.chunkflow.workloads.visits.VisitCsv;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A data set of valid visit rows with one row per key {@code (visit_date, ssn)}, so that a target of
 * {@code k} rows per chunk plans exactly {@code rows / k} chunks: the fan-out benchmark controls the
 * number of chunks exactly. Synthetic SSNs (area 123, group 45), never real ones.
 */
final class UniqueKeyData {
    static final int DAYS = 366;
    static final int MAX_ROWS = DAYS * 9000;

    private UniqueKeyData() {
    }

    static String visitDate(long i) {
        return LocalDate.of(2024, 1, 1).plusDays(i % DAYS).toString();
    }

    static String ssn(long i) {
        return "123-45-" + (1000 + i / DAYS);
    }

    /** Writes {@code rows} events, one per {@code user_id}, as one gzip JSON Lines object {@code prefix + "events.jsonl.gz"}. */
    static void putEvents(S3Client s3, String bucket, String prefix, long rows) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes, 1 << 16), StandardCharsets.UTF_8)) {
            StringBuilder line = new StringBuilder(128);
            for (long i = 0; i < rows; i++) {
                line.setLength(0);
                line.append("{\"event_id\":\"e").append(i).append("\",\"user_id\":\"u").append(i)
                        .append("\",\"timestamp\":\"2024-06-01T00:00:00Z\",\"type\":\"view\"}\n");
                w.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(bucket).key(prefix + "events.jsonl.gz").contentType("application/gzip"),
                RequestBody.fromBytes(bytes.toByteArray()));
    }

    /** Writes {@code rows} rows as one gzip CSV object {@code prefix + "visits.csv.gz"}. */
    static void put(S3Client s3, String bucket, String prefix, long rows) {
        if (rows > MAX_ROWS) {
            throw new IllegalArgumentException("at most " + MAX_ROWS + " unique-key rows");
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (Writer w = new OutputStreamWriter(new GZIPOutputStream(bytes, 1 << 16), StandardCharsets.UTF_8)) {
            w.write(VisitCsv.HEADER);
            w.write('\n');
            StringBuilder line = new StringBuilder(96);
            for (long i = 0; i < rows; i++) {
                line.setLength(0);
                line.append('V').append(i).append(',').append(visitDate(i)).append(',').append(ssn(i))
                        .append(",P").append(i % 500).append(",99213,").append(1000 + i % 90_000)
                        .append(",2024-06-01T00:00:00Z\n");
                w.append(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        s3.putObject(b -> b.bucket(bucket).key(prefix + "visits.csv.gz").contentType("application/gzip"),
                RequestBody.fromBytes(bytes.toByteArray()));
    }
}
