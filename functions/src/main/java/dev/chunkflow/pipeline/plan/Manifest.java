package dev.chunkflow.pipeline.plan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.chunkflow.common.Json;
import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.runs.RunLayout;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * {@code runs/{job_id}/chunks/manifest.json}, written last by GetChunks (its presence means the plan is
 * complete). Small fields come first and the per-chunk list last, so a worker reads only the head
 * ({@link #readHead}) even when the manifest describes 100,000 chunks.
 */
public record Manifest(String jobId, String workload, int numChunks, long totalRows, long targetRowsPerChunk, int partitions,
                       String bucket, String prefix, List<Source> sources, List<Chunk> chunks, int[] partitionFirstChunk) {

    public static final int FORMAT = 2;

    /** A one-invocation plan: chunk objects named by their global id. */
    public Manifest(String jobId, String workload, int numChunks, long totalRows, long targetRowsPerChunk, int partitions,
                    String bucket, String prefix, List<Source> sources, List<Chunk> chunks) {
        this(jobId, workload, numChunks, totalRows, targetRowsPerChunk, partitions, bucket, prefix, sources, chunks, null);
    }

    /** Where chunk {@code chunkId}'s key set is: by global id, or (fan-out plan) by partition and local number. */
    public String keysKey(int chunkId) {
        if (partitionFirstChunk == null) {
            return RunLayout.keysKey(jobId, chunkId);
        }
        int p = partitionOf(chunkId);
        return RunLayout.partitionKeysKey(jobId, p, chunkId - partitionFirstChunk[p]);
    }

    public String dataKey(int chunkId) {
        if (partitionFirstChunk == null) {
            return RunLayout.dataKey(jobId, chunkId);
        }
        int p = partitionOf(chunkId);
        return RunLayout.partitionDataKey(jobId, p, chunkId - partitionFirstChunk[p]);
    }

    /** The last partition whose first chunk is at most {@code chunkId} (empty partitions share the next one's first id). */
    private int partitionOf(int chunkId) {
        int lo = 0;
        int hi = partitionFirstChunk.length - 1;
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (partitionFirstChunk[mid] <= chunkId) {
                lo = mid;
            } else {
                hi = mid - 1;
            }
        }
        return lo;
    }

    /** A source object as read: key, ETag (the version read), size in bytes, data rows. */
    public record Source(String key, String etag, long size, long rows) {
    }

    /** One chunk: how many keys and rows it holds, and the size of its data object. */
    public record Chunk(int chunkId, int keys, long rows, long dataBytes) {
    }

    public byte[] toJson() {
        ByteArrayOutputStream out = new ByteArrayOutputStream(4096 + (chunks == null ? 0 : chunks.size() * 64));
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("format", FORMAT);
            g.writeStringField("job_id", jobId);
            g.writeStringField("workload", workload);
            g.writeNumberField("num_chunks", numChunks);
            g.writeNumberField("total_rows", totalRows);
            g.writeNumberField("target_rows_per_chunk", targetRowsPerChunk);
            g.writeNumberField("partitions", partitions);
            if (partitionFirstChunk != null) {
                g.writeArrayFieldStart("partition_first_chunk");
                for (int first : partitionFirstChunk) {
                    g.writeNumber(first);
                }
                g.writeEndArray();
            }
            g.writeObjectFieldStart("source");
            g.writeStringField("bucket", bucket);
            g.writeStringField("prefix", prefix);
            g.writeEndObject();
            g.writeArrayFieldStart("sources");
            for (Source s : sources) {
                g.writeStartObject();
                g.writeStringField("key", s.key());
                g.writeStringField("etag", s.etag());
                g.writeNumberField("size", s.size());
                g.writeNumberField("rows", s.rows());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeArrayFieldStart("chunks");
            for (Chunk c : chunks) {
                g.writeStartObject();
                g.writeNumberField("chunk_id", c.chunkId());
                g.writeNumberField("keys", c.keys());
                g.writeNumberField("rows", c.rows());
                g.writeNumberField("data_bytes", c.dataBytes());
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** Everything but the per-chunk list (which is read only as far as needed, then the stream is aborted). */
    public static Manifest readHead(S3Io s3, String bucket, String key) {
        ResponseInputStream<GetObjectResponse> in = s3.open(bucket, key);
        try {
            return parse(in, false);
        } finally {
            in.abort();
        }
    }

    public static Manifest read(S3Io s3, String bucket, String key) {
        try (InputStream in = s3.open(bucket, key)) {
            return parse(in, true);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Manifest parse(InputStream in, boolean withChunks) {
        try (JsonParser p = Json.MAPPER.getFactory().createParser(in)) {
            expect(p.nextToken(), JsonToken.START_OBJECT);
            String jobId = null;
            String workload = null;
            int numChunks = -1;
            long totalRows = 0;
            long target = 0;
            int partitions = 0;
            int[] partitionFirstChunk = null;
            String bucket = null;
            String prefix = null;
            List<Source> sources = new ArrayList<>();
            List<Chunk> chunks = withChunks ? new ArrayList<>() : null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                p.nextToken();
                switch (field) {
                    case "job_id" -> jobId = p.getText();
                    case "workload" -> workload = p.getText();
                    case "num_chunks" -> numChunks = p.getIntValue();
                    case "total_rows" -> totalRows = p.getLongValue();
                    case "target_rows_per_chunk" -> target = p.getLongValue();
                    case "partitions" -> partitions = p.getIntValue();
                    case "partition_first_chunk" -> {
                        List<Integer> firsts = new ArrayList<>();
                        while (p.nextToken() == JsonToken.VALUE_NUMBER_INT) {
                            firsts.add(p.getIntValue());
                        }
                        partitionFirstChunk = firsts.stream().mapToInt(Integer::intValue).toArray();
                    }
                    case "source" -> {
                        com.fasterxml.jackson.databind.JsonNode node = Json.MAPPER.readTree(p);
                        bucket = node.path("bucket").asText(null);
                        prefix = node.path("prefix").asText(null);
                    }
                    case "sources" -> {
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            com.fasterxml.jackson.databind.JsonNode node = Json.MAPPER.readTree(p);
                            sources.add(new Source(node.path("key").asText(), node.path("etag").asText(null),
                                    node.path("size").asLong(), node.path("rows").asLong()));
                        }
                    }
                    case "chunks" -> {
                        if (!withChunks) {
                            return new Manifest(jobId, workload, numChunks, totalRows, target, partitions, bucket, prefix, sources, null,
                                    partitionFirstChunk);
                        }
                        while (p.nextToken() == JsonToken.START_OBJECT) {
                            int id = -1;
                            int keys = 0;
                            long rows = 0;
                            long bytes = 0;
                            while (p.nextToken() == JsonToken.FIELD_NAME) {
                                String f = p.currentName();
                                p.nextToken();
                                switch (f) {
                                    case "chunk_id" -> id = p.getIntValue();
                                    case "keys" -> keys = p.getIntValue();
                                    case "rows" -> rows = p.getLongValue();
                                    case "data_bytes" -> bytes = p.getLongValue();
                                    default -> p.skipChildren();
                                }
                            }
                            chunks.add(new Chunk(id, keys, rows, bytes));
                        }
                    }
                    default -> p.skipChildren();
                }
            }
            if (jobId == null || workload == null || numChunks < 0) {
                throw new InvalidManifest("manifest is incomplete (no job_id, workload or num_chunks)", null);
            }
            return new Manifest(jobId, workload, numChunks, totalRows, target, partitions, bucket, prefix, sources, chunks,
                    partitionFirstChunk);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new InvalidManifest("manifest is not valid JSON: " + e.getOriginalMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read manifest", e);
        }
    }

    private static void expect(JsonToken actual, JsonToken expected) {
        if (actual != expected) {
            throw new InvalidManifest("manifest: expected " + expected + ", got " + actual, null);
        }
    }
}
