package dev.chunkflow.workload;

import java.util.List;
import java.util.Locale;

/**
 * How source objects are read. Objects ending in {@code .gz} are gunzipped first; text is UTF-8 (a record
 * with invalid UTF-8 is rejected with reason {@code invalid_utf8}, never silently repaired).
 */
public sealed interface RecordFormat {

    /** Whether a source object with this key belongs to the data set. */
    boolean accepts(String objectKey);

    /** The suffixes {@link #accepts} matches, for messages. */
    List<String> suffixes();

    /**
     * CSV with a header row naming {@code columns} in this order (case, surrounding blanks and a BOM
     * tolerated), RFC 4180 in full: quoted fields may hold commas, quotes ({@code ""}) and line breaks.
     * A record's line is the physical line it starts on (the header is line 1); blank lines are not records.
     */
    record Csv(List<String> columns) implements RecordFormat {
        public Csv {
            columns = List.copyOf(columns);
            if (columns.isEmpty()) {
                throw new IllegalArgumentException("a CSV format needs at least one column");
            }
        }

        public int columnIndex(String name) {
            int i = columns.indexOf(name);
            if (i < 0) {
                throw new IllegalArgumentException("no column " + name + " in " + columns);
            }
            return i;
        }

        @Override
        public boolean accepts(String objectKey) {
            String k = objectKey.toLowerCase(Locale.ROOT);
            return k.endsWith(".csv") || k.endsWith(".csv.gz");
        }

        @Override
        public List<String> suffixes() {
            return List.of(".csv", ".csv.gz");
        }
    }

    /**
     * JSON Lines: one JSON object per line; blank lines are not records. Key fields are named by a dot
     * path ({@code user_id}, {@code user.id}).
     */
    record JsonLines() implements RecordFormat {
        @Override
        public boolean accepts(String objectKey) {
            String k = objectKey.toLowerCase(Locale.ROOT);
            return k.endsWith(".jsonl") || k.endsWith(".jsonl.gz") || k.endsWith(".ndjson") || k.endsWith(".ndjson.gz");
        }

        @Override
        public List<String> suffixes() {
            return List.of(".jsonl", ".jsonl.gz", ".ndjson", ".ndjson.gz");
        }
    }

    static boolean gzipped(String objectKey) {
        return objectKey.toLowerCase(Locale.ROOT).endsWith(".gz");
    }
}
