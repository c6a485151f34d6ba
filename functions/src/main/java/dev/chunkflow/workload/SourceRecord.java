package dev.chunkflow.workload;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One source record as a chunk processor sees it: where it came from ({@link #source()} and
 * {@link #line()}: use them in nothing but rejects and tie-breaks) and its content: the fields of a
 * CSV record, or the object of a JSON Lines record.
 */
public final class SourceRecord {
    private final int sourceIndex;
    private final String source;
    private final long line;
    private final String[] fields;
    private final int fieldCount;
    private final JsonNode json;

    private SourceRecord(int sourceIndex, String source, long line, String[] fields, int fieldCount, JsonNode json) {
        this.sourceIndex = sourceIndex;
        this.source = source;
        this.line = line;
        this.fields = fields;
        this.fieldCount = fieldCount;
        this.json = json;
    }

    public static SourceRecord csv(int sourceIndex, String source, long line, String[] fields, int fieldCount) {
        return new SourceRecord(sourceIndex, source, line, fields, fieldCount, null);
    }

    public static SourceRecord json(int sourceIndex, String source, long line, JsonNode object) {
        return new SourceRecord(sourceIndex, source, line, null, 0, object);
    }

    /** Position of the source object in the run's listing (key order): a stable tie-break. */
    public int sourceIndex() {
        return sourceIndex;
    }

    /** The source object's key. */
    public String source() {
        return source;
    }

    /** The physical line the record starts on (1 is a CSV header). */
    public long line() {
        return line;
    }

    /** CSV: the number of fields in the record (may differ from the header's). */
    public int fieldCount() {
        return fieldCount;
    }

    /** CSV: field {@code i} (0-based, header order); {@code i} below {@link #fieldCount()}. */
    public String field(int i) {
        if (fields == null) {
            throw new IllegalStateException("not a CSV record");
        }
        if (i >= fieldCount) {
            throw new IndexOutOfBoundsException("field " + i + " of a record with " + fieldCount);
        }
        return fields[i];
    }

    /** CSV: the fields array itself (read only; entries past {@link #fieldCount()} are undefined). */
    public String[] fields() {
        if (fields == null) {
            throw new IllegalStateException("not a CSV record");
        }
        return fields;
    }

    /** JSON Lines: the record's object. */
    public JsonNode json() {
        if (json == null) {
            throw new IllegalStateException("not a JSON Lines record");
        }
        return json;
    }
}
