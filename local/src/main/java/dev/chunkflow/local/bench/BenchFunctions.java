package dev.chunkflow.local.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.GZIPInputStream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.source.Csvs;
import dev.chunkflow.workloads.visits.VisitCsv;
import de.siegmar.fastcsv.reader.CsvRecord;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Stand-in functions of the fan-out benchmark. What it measures is what the state machine carries,
 * so ProcessChunk and Summarize answer with the counts and keys the real ones would, without the I/O.
 */
final class BenchFunctions {
    private BenchFunctions() {
    }

    /**
     * ProcessChunk's response shape: {@code {job_id, chunk_id, rows_in, rows_out, rows_rejected}} for one
     * chunk, or the batch totals for a Distributed Map batch ({@code {BatchInput, Items}}).
     */
    static byte[] processChunk(byte[] payload, long rowsPerChunk) {
        JsonNode in = Json.readTree(payload);
        long chunks = in.has("Items") ? in.path("Items").size() : 1;
        ObjectNode out = Json.MAPPER.createObjectNode();
        out.put("job_id", in.has("BatchInput") ? in.path("BatchInput").path("job_id").asText() : in.path("job_id").asText());
        if (!in.has("Items")) {
            out.put("chunk_id", in.path("chunk_id").asInt(in.path("chunk").path("chunk_id").asInt()));
        }
        out.put("chunks", chunks);
        out.put("rows_in", chunks * rowsPerChunk);
        out.put("rows_out", chunks * rowsPerChunk);
        out.put("rows_rejected", 0);
        return Json.bytes(out);
    }

    /**
     * Summarize's response shape: the S3 keys of the summary, the report and _SUCCESS; or, asked for the
     * chunks a Distributed Map pass left unprocessed ({@code unprocessed_pass}), none (the stub ProcessChunk
     * never stops at a deadline).
     */
    static byte[] summarize(byte[] payload) {
        JsonNode in = Json.readTree(payload);
        String jobId = in.path("job_id").asText();
        ObjectNode out = Json.MAPPER.createObjectNode();
        if (in.has("unprocessed_pass")) {
            out.put("job_id", jobId);
            out.put("unprocessed", 0);
            out.put("ids_key", RunLayout.unprocessedIdsKey(jobId, in.path("unprocessed_pass").asInt()));
            return Json.bytes(out);
        }
        out.put("summary_key", RunLayout.summaryKey(jobId));
        out.put("report_key", RunLayout.reportKey(jobId));
        out.put("success_key", RunLayout.successKey(jobId));
        return Json.bytes(out);
    }

    /**
     * The naive GetChunks: reads every key of the source once, sorts them, packs {@code target_rows_per_chunk}
     * keys per chunk (one row per key in the benchmark's data) and returns every chunk with its key set.
     */
    static byte[] naiveGetChunks(S3Client s3, String bucket, byte[] payload) {
        JsonNode in = Json.readTree(payload);
        String prefix = in.path("source").path("prefix").asText();
        int perChunk = in.path("target_rows_per_chunk").asInt();
        List<String[]> keys = new ArrayList<>();
        for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(s3.getObject(b -> b.bucket(bucket).key(o.key())), 1 << 16), StandardCharsets.UTF_8))) {
                boolean header = true;
                for (CsvRecord rec : Csvs.reader(r)) {
                    if (!header) {
                        keys.add(new String[] {field(rec, VisitCsv.VISIT_DATE), field(rec, VisitCsv.SSN)});
                    }
                    header = false;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        keys.sort(Comparator.comparing((String[] k) -> k[0]).thenComparing(k -> k[1]));
        ObjectNode out = Json.MAPPER.createObjectNode();
        ArrayNode chunks = Json.MAPPER.createArrayNode();
        for (int i = 0; i < keys.size(); i += perChunk) {
            ObjectNode chunk = chunks.addObject();
            chunk.put("chunk_id", i / perChunk);
            ArrayNode ks = chunk.putArray("keys");
            for (String[] k : keys.subList(i, Math.min(keys.size(), i + perChunk))) {
                ks.addObject().put("visit_date", k[0]).put("ssn", k[1]);
            }
        }
        out.put("job_id", in.path("job_id").asText());
        out.put("num_chunks", chunks.size());
        out.set("chunks", chunks);
        return Json.bytes(out);
    }

    private static String field(CsvRecord r, int i) {
        return i < r.getFieldCount() ? r.getField(i) : "";
    }
}
