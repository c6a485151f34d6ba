package dev.chunkflow.local.asl;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Distributed Map S3 I/O through the SDK client given to the engine: ItemReader
 * ({@code s3:getObject} with InputType JSON, JSONL or CSV; {@code s3:listObjectsV2}) and ResultWriter
 * ({@code s3:putObject}: SUCCEEDED_n.json / FAILED_n.json and manifest.json under Prefix/MapRunId/).
 */
final class DistributedIO {
    static final String GET_OBJECT = "arn:aws:states:::s3:getObject";
    static final String LIST_OBJECTS = "arn:aws:states:::s3:listObjectsV2";
    static final String PUT_OBJECT = "arn:aws:states:::s3:putObject";

    private final S3Client s3;

    DistributedIO(S3Client s3) {
        this.s3 = s3;
    }

    ArrayNode readItems(MapState m, JsonNode eff, Interpreter.StateRun run) {
        JsonNode reader = m.itemReader;
        String resource = reader.path("Resource").asText();
        JsonNode params = m.itemReaderParameters == null ? AslJson.NODES.objectNode() : m.itemReaderParameters.apply(eff, run);
        JsonNode config = reader.path("ReaderConfig");
        String bucket = params.path("Bucket").asText(null);
        if (bucket == null) {
            throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "ItemReader.Parameters.Bucket is required");
        }
        requireClient(StatesFailure.ITEM_READER_FAILED);
        ArrayNode items;
        try {
            if (resource.equals(LIST_OBJECTS)) {
                items = list(bucket, params.path("Prefix").asText(""));
            } else if (resource.equals(GET_OBJECT)) {
                String key = params.path("Key").asText(null);
                if (key == null) {
                    throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "ItemReader.Parameters.Key is required");
                }
                String text = s3.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asUtf8String();
                items = parse(text, config, key);
            } else {
                throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "ItemReader.Resource '" + resource
                        + "' is not supported (" + GET_OBJECT + ", " + LIST_OBJECTS + ")");
            }
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "Amazon S3 request failed for bucket '" + bucket + "': " + e.getMessage());
        }
        Long max = MapRunner.optionalInt(config, "MaxItems", eff, run);
        if (max != null && max > 0 && items.size() > max) {
            ArrayNode cut = AslJson.NODES.arrayNode();
            for (int i = 0; i < max; i++) {
                cut.add(items.get(i));
            }
            items = cut;
        }
        return items;
    }

    private ArrayNode list(String bucket, String prefix) {
        ArrayNode out = AslJson.NODES.arrayNode();
        for (S3Object o : s3.listObjectsV2Paginator(ListObjectsV2Request.builder().bucket(bucket).prefix(prefix).build()).contents()) {
            ObjectNode n = out.addObject();
            n.put("Etag", o.eTag());
            n.put("Key", o.key());
            n.put("LastModified", o.lastModified() == null ? null : o.lastModified().toString());
            n.put("Size", o.size());
            n.put("StorageClass", o.storageClassAsString() == null ? "STANDARD" : o.storageClassAsString());
        }
        return out;
    }

    static ArrayNode parse(String text, JsonNode config, String key) {
        String type = config.path("InputType").asText("JSON");
        switch (type) {
            case "JSON": {
                JsonNode n;
                try {
                    n = AslJson.parse(text);
                } catch (IllegalArgumentException e) {
                    throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "The object '" + key + "' is not valid JSON");
                }
                if (!n.isArray()) {
                    throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "The object '" + key + "' does not contain a JSON array");
                }
                return (ArrayNode) n;
            }
            case "JSONL": {
                ArrayNode out = AslJson.NODES.arrayNode();
                int line = 0;
                for (String l : text.split("\r?\n")) {
                    line++;
                    if (l.isBlank()) {
                        continue;
                    }
                    try {
                        out.add(AslJson.parse(l));
                    } catch (IllegalArgumentException e) {
                        throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "Line " + line + " of '" + key + "' is not valid JSON");
                    }
                }
                return out;
            }
            case "CSV":
                return csv(text, config, key);
            default:
                throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "ReaderConfig.InputType '" + type
                        + "' is not supported (JSON, JSONL, CSV)");
        }
    }

    private static ArrayNode csv(String text, JsonNode config, String key) {
        char delimiter = switch (config.path("CSVDelimiter").asText("COMMA")) {
            case "PIPE" -> '|';
            case "SEMICOLON" -> ';';
            case "SPACE" -> ' ';
            case "TAB" -> '\t';
            default -> ',';
        };
        List<List<String>> rows = csvRows(text, delimiter);
        List<String> headers;
        int first = 0;
        if ("GIVEN".equals(config.path("CSVHeaderLocation").asText("FIRST_ROW"))) {
            headers = new ArrayList<>();
            config.path("CSVHeaders").forEach(h -> headers.add(h.asText()));
        } else {
            if (rows.isEmpty()) {
                return AslJson.NODES.arrayNode();
            }
            headers = rows.get(0);
            first = 1;
        }
        ArrayNode out = AslJson.NODES.arrayNode();
        for (int r = first; r < rows.size(); r++) {
            List<String> row = rows.get(r);
            if (row.size() > headers.size()) {
                throw StatesFailure.withFinalCause(StatesFailure.ITEM_READER_FAILED, "Row " + (r + 1) + " of '" + key
                        + "' has more fields than there are headers");
            }
            ObjectNode item = out.addObject();
            for (int c = 0; c < headers.size(); c++) {
                item.put(headers.get(c), c < row.size() ? row.get(c) : "");
            }
        }
        return out;
    }

    /** RFC 4180 rows: quoted fields may hold delimiters, newlines and doubled quotes. */
    static List<List<String>> csvRows(String text, char delimiter) {
        List<List<String>> rows = new ArrayList<>();
        List<String> row = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < text.length() && text.charAt(i + 1) == '"') {
                        field.append('"');
                        i++;
                    } else {
                        quoted = false;
                    }
                } else {
                    field.append(c);
                }
                continue;
            }
            if (c == '"') {
                quoted = true;
                any = true;
            } else if (c == delimiter) {
                row.add(field.toString());
                field.setLength(0);
                any = true;
            } else if (c == '\n' || c == '\r') {
                if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
                    i++;
                }
                if (any || field.length() > 0) {
                    row.add(field.toString());
                    rows.add(row);
                }
                row = new ArrayList<>();
                field.setLength(0);
                any = false;
            } else {
                field.append(c);
                any = true;
            }
        }
        if (any || field.length() > 0) {
            row.add(field.toString());
            rows.add(row);
        }
        return rows;
    }

    JsonNode writeResults(MapState m, JsonNode eff, Interpreter.StateRun run, String mapRunArn, String runId,
                          MapRunner.ChildRecord[] records) {
        JsonNode params = m.resultWriterParameters == null ? AslJson.NODES.objectNode() : m.resultWriterParameters.apply(eff, run);
        String bucket = params.path("Bucket").asText(null);
        if (bucket == null) {
            throw StatesFailure.withFinalCause(StatesFailure.RESULT_WRITER_FAILED, "ResultWriter.Parameters.Bucket is required");
        }
        requireClient(StatesFailure.RESULT_WRITER_FAILED);
        String prefix = params.path("Prefix").asText("");
        String base = (prefix.isEmpty() ? "" : prefix.endsWith("/") ? prefix : prefix + "/") + runId + "/";
        ArrayNode succeeded = AslJson.NODES.arrayNode();
        ArrayNode failed = AslJson.NODES.arrayNode();
        for (MapRunner.ChildRecord r : records) {
            if (r != null) {
                (r.outcome().succeeded() ? succeeded : failed).add(entry(r));
            }
        }
        ObjectNode manifest = AslJson.NODES.objectNode();
        manifest.put("DestinationBucket", bucket);
        manifest.put("MapRunArn", mapRunArn);
        ObjectNode files = manifest.putObject("ResultFiles");
        try {
            files.set("FAILED", put(bucket, base + "FAILED_0.json", failed));
            files.putArray("PENDING");
            files.set("SUCCEEDED", put(bucket, base + "SUCCEEDED_0.json", succeeded));
            String manifestKey = base + "manifest.json";
            s3.putObject(b -> b.bucket(bucket).key(manifestKey).contentType("application/json"),
                    RequestBody.fromString(AslJson.write(manifest), StandardCharsets.UTF_8));
            ObjectNode out = AslJson.NODES.objectNode();
            out.put("MapRunArn", mapRunArn);
            ObjectNode details = out.putObject("ResultWriterDetails");
            details.put("Bucket", bucket);
            details.put("Key", manifestKey);
            return out;
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
            throw StatesFailure.withFinalCause(StatesFailure.RESULT_WRITER_FAILED, "Amazon S3 putObject failed for bucket '" + bucket + "': " + e.getMessage());
        }
    }

    private ArrayNode put(String bucket, String key, ArrayNode entries) {
        ArrayNode list = AslJson.NODES.arrayNode();
        if (entries.isEmpty()) {
            return list;
        }
        byte[] body = AslJson.bytes(entries);
        s3.putObject(b -> b.bucket(bucket).key(key).contentType("application/json"), RequestBody.fromBytes(body));
        ObjectNode f = list.addObject();
        f.put("Key", key);
        f.put("Size", body.length);
        return list;
    }

    private static ObjectNode entry(MapRunner.ChildRecord r) {
        Execution ex = r.execution();
        Interpreter.Outcome o = r.outcome();
        ObjectNode n = AslJson.NODES.objectNode();
        if (!o.succeeded()) {
            if (o.cause() != null) {
                n.put("Cause", o.cause());
            }
            if (o.error() != null) {
                n.put("Error", o.error());
            }
        }
        n.put("ExecutionArn", ex.arn);
        n.put("Input", AslJson.write(ex.input));
        n.putObject("InputDetails").put("Included", true);
        n.put("Name", ex.name);
        if (o.succeeded()) {
            n.put("Output", AslJson.write(o.output()));
            n.putObject("OutputDetails").put("Included", true);
        }
        n.put("RedriveCount", 0);
        n.put("RedriveStatus", "NOT_REDRIVABLE");
        n.put("RedriveStatusReason", ex.standard ? "Execution is " + (o.succeeded() ? "SUCCEEDED" : "FAILED") + " and cannot be redriven"
                : "Execution is EXPRESS and cannot be redriven");
        n.put("StartDate", ex.startTime.toString());
        n.put("StateMachineArn", ex.stateMachineArn);
        n.put("Status", o.succeeded() ? "SUCCEEDED" : "FAILED");
        n.put("StopDate", r.stopped().toString());
        return n;
    }

    private void requireClient(String error) {
        if (s3 == null) {
            throw StatesFailure.withFinalCause(error, "No S3 client is configured in the local engine (AslEngine.Builder.s3)");
        }
    }
}
