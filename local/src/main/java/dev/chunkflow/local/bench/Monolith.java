package dev.chunkflow.local.bench;

import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.chunkflow.pipeline.source.CsvRecordReader;
import dev.chunkflow.workload.JsonLines;
import dev.chunkflow.workload.RecordRejected;
import dev.chunkflow.workloads.visits.Pseudonymizer;
import dev.chunkflow.workloads.visits.VisitTransform;

/**
 * The baseline of the throughput benchmark: the hand-rolled job, one thread, one pass over the same
 * CSV files read from the local disk, the same {@link VisitTransform} (validation, dedup by key, latest
 * {@code updated_at} wins, pseudonymization, daily aggregates), outputs gzip-written to the local disk.
 * No chunking, no S3, no state machine: what is compared is the plumbing.
 */
final class Monolith {
    /** @param sourceKeys the S3 keys the files came from (rejects name them, as the pipeline's do) */
    record Outcome(long rowsIn, long rowsOut, long rowsRejected, long duplicatesDropped, long dailyRows, long wallMs) {
    }

    private Monolith() {
    }

    static Outcome run(List<Path> files, List<String> sourceKeys, byte[] secret, Path outDir) throws IOException {
        long start = System.nanoTime();
        VisitTransform transform = new VisitTransform(new Pseudonymizer(secret));
        ByteArrayOutputStream rejects = new ByteArrayOutputStream();
        long rejected = 0;
        try (JsonGenerator g = JsonLines.generator(rejects)) {
            for (int i = 0; i < files.size(); i++) {
                Path f = files.get(i);
                InputStream raw = Files.newInputStream(f);
                InputStream in = f.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
                try (CsvRecordReader rec = new CsvRecordReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                    boolean header = true;
                    while (rec.next()) {
                        if (header) {
                            header = false;
                            continue;
                        }
                        String[] fields = java.util.Arrays.copyOf(rec.fields(), rec.fieldCount());
                        try {
                            transform.accept(i, rec.startingLine(), fields, fields.length);
                        } catch (RecordRejected e) {
                            rejected++;
                            g.writeStartObject();
                            g.writeStringField("source", sourceKeys.get(i));
                            g.writeNumberField("line", rec.startingLine());
                            g.writeStringField("reason", e.reason());
                            g.writeStringField("detail", e.detail());
                            g.writeEndObject();
                            JsonLines.endLine(g);
                        }
                    }
                }
            }
        }
        VisitTransform.Result result = transform.finish();
        Files.createDirectories(outDir);
        write(outDir.resolve("visits.jsonl.gz"), result::writeVisits);
        write(outDir.resolve("daily.jsonl.gz"), result::writeDaily);
        write(outDir.resolve("rejects.jsonl.gz"), rejects::writeTo);
        return new Outcome(result.rowsIn(), result.rowsOut(), rejected, result.duplicatesDropped(),
                result.dailyRows(), (System.nanoTime() - start) / 1_000_000);
    }

    private interface Writer {
        void write(OutputStream out) throws IOException;
    }

    private static void write(Path file, Writer w) throws IOException {
        try (OutputStream out = new GZIPOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16), 1 << 16)) {
            w.write(out);
        }
    }
}
