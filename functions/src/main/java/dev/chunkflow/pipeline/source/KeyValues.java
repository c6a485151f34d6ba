package dev.chunkflow.pipeline.source;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.RecordFormat;

/**
 * Reads a record's grouping key, the same way in GetChunks and in ProcessChunk. A missing field (or a
 * JSON value that is an object or array) reads as "", so a malformed record still has a key and a chunk.
 */
public final class KeyValues {
    private final int[] columns;
    private final String[][] paths;

    private KeyValues(int[] columns, String[][] paths) {
        this.columns = columns;
        this.paths = paths;
    }

    public static KeyValues of(RecordFormat format, List<KeyPart> parts) {
        if (format instanceof RecordFormat.Csv csv) {
            int[] columns = new int[parts.size()];
            for (int i = 0; i < columns.length; i++) {
                columns[i] = csv.columnIndex(parts.get(i).field());
            }
            return new KeyValues(columns, null);
        }
        String[][] paths = new String[parts.size()][];
        for (int i = 0; i < paths.length; i++) {
            paths[i] = parts.get(i).field().split("\\.");
        }
        return new KeyValues(null, paths);
    }

    public int size() {
        return columns != null ? columns.length : paths.length;
    }

    public String[] ofCsv(String[] fields, int count) {
        String[] key = new String[columns.length];
        for (int i = 0; i < key.length; i++) {
            key[i] = columns[i] < count ? fields[columns[i]] : "";
        }
        return key;
    }

    /** {@code node} null (not JSON, or not an object) gives the all-empty key. */
    public String[] ofJson(JsonNode node) {
        String[] key = new String[paths.length];
        for (int i = 0; i < key.length; i++) {
            JsonNode v = node;
            for (String step : paths[i]) {
                v = v == null ? null : v.get(step);
            }
            key[i] = v == null || v.isContainerNode() || v.isNull() ? "" : v.asText();
        }
        return key;
    }
}
