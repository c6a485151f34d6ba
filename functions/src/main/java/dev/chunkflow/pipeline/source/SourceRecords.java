package dev.chunkflow.pipeline.source;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.workload.RecordFormat;

/**
 * The records of one source object, for planning: each record's line, key, whether it held invalid UTF-8,
 * and its payload (the bytes the chunk's data object carries: a CSV row re-encoded by FastCSV, or the JSON
 * line). A corrupt gzip object or CSV the parser cannot read is {@link InvalidInput} naming the object.
 */
public final class SourceRecords implements AutoCloseable {
    private final String where;
    private final StrictUtf8Reader text;
    private final KeyValues keys;
    private final Payload payload = new Payload();
    // CSV
    private final CsvRecordReader csv;
    private final CsvWriter csvWriter;
    // JSON Lines
    private final BufferedReader lines;
    private long physicalLine;

    private long line;
    private String[] key;
    private boolean invalidUtf8;
    private long invalidSeen;

    private SourceRecords(String where, InputStream raw, RecordFormat format, KeyValues keys) {
        this.where = where;
        this.keys = keys;
        this.text = new StrictUtf8Reader(raw);
        if (format instanceof RecordFormat.Csv) {
            this.csv = new CsvRecordReader(text);
            this.csvWriter = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).autoFlush(true).build(payload, StandardCharsets.UTF_8);
            this.lines = null;
        } else {
            this.csv = null;
            this.csvWriter = null;
            this.lines = new BufferedReader(text, 64 * 1024);
        }
    }

    /**
     * Opens {@code in} (gunzipped when {@code objectKey} ends in .gz) and, for CSV, checks its header.
     * An empty object has no records.
     */
    public static SourceRecords open(InputStream in, String where, String objectKey, RecordFormat format, KeyValues keys) {
        InputStream raw = in;
        if (RecordFormat.gzipped(objectKey)) {
            try {
                raw = new GZIPInputStream(in, 64 * 1024);
            } catch (ZipException | EOFException e) {
                throw notGzip(where, e);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + where, e);
            }
        }
        SourceRecords r = new SourceRecords(where, raw, format, keys);
        if (format instanceof RecordFormat.Csv c) {
            r.checkHeader(c);
        }
        return r;
    }

    private static InvalidInput notGzip(String where, IOException e) {
        return new InvalidInput("source", where + " is not a valid gzip object (" + e.getClass().getSimpleName()
                + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
    }

    private void checkHeader(RecordFormat.Csv format) {
        if (!nextCsv()) {
            return;
        }
        boolean ok = csv.fieldCount() == format.columns().size();
        for (int i = 0; ok && i < csv.fieldCount(); i++) {
            String h = csv.field(i);
            if (i == 0 && !h.isEmpty() && h.charAt(0) == '\uFEFF') {
                h = h.substring(1);
            }
            ok = format.columns().get(i).equalsIgnoreCase(h.trim());
        }
        if (!ok) {
            throw new InvalidInput("source", where + ": line " + csv.startingLine() + ": header must be "
                    + String.join(",", format.columns()));
        }
    }

    private boolean nextCsv() {
        try {
            return csv.next();
        } catch (CsvParseException e) {
            throw new InvalidInput("source", where + ": not readable as CSV (" + e.getMessage() + ")");
        } catch (UncheckedIOException e) {
            throw translate(e.getCause());
        }
    }

    private RuntimeException translate(IOException e) {
        if (e instanceof ZipException || e instanceof EOFException) {
            return notGzip(where, e);
        }
        return new UncheckedIOException("cannot read " + where, e);
    }

    /** Advances to the next record; false at the end of the object. */
    public boolean next() {
        return csv != null ? nextCsvRecord() : nextJsonRecord();
    }

    private boolean nextCsvRecord() {
        if (!nextCsv()) {
            return false;
        }
        int n = csv.fieldCount();
        String[] values = csv.fields();
        line = csv.startingLine();
        invalidUtf8 = holdsInvalid(values, n);
        key = keys.ofCsv(values, n);
        payload.reset();
        if (!payload.plainCsv(values, n)) {
            csvWriter.writeRecord(java.util.Arrays.asList(values).subList(0, n));
        }
        return true;
    }

    private boolean nextJsonRecord() {
        String l;
        try {
            do {
                l = lines.readLine();
                physicalLine++;
            } while (l != null && l.isBlank());
        } catch (IOException e) {
            throw translate(e);
        }
        if (l == null) {
            return false;
        }
        line = physicalLine;
        invalidUtf8 = holdsInvalid(new String[] {l}, 1);
        JsonNode node;
        try {
            node = Json.MAPPER.readTree(l);
        } catch (JsonProcessingException e) {
            node = null;
        }
        key = keys.ofJson(node != null && node.isObject() ? node : null);
        payload.reset();
        byte[] b = l.getBytes(StandardCharsets.UTF_8);
        payload.write(b, 0, b.length);
        payload.write('\n');
        return true;
    }

    /** Only looked at while the decoder has replaced sequences not yet attributed to a record. */
    private boolean holdsInvalid(String[] values, int n) {
        long pending = text.invalidSequences() - invalidSeen;
        if (pending == 0) {
            return false;
        }
        int found = 0;
        for (int i = 0; i < n; i++) {
            String v = values[i];
            for (int at = v.indexOf(StrictUtf8Reader.REPLACEMENT); at >= 0; at = v.indexOf(StrictUtf8Reader.REPLACEMENT, at + 1)) {
                found++;
            }
        }
        invalidSeen += Math.min(found, pending);
        return found > 0;
    }

    public long line() {
        return line;
    }

    /** The record's key, one string per key part (a new array per record). */
    public String[] key() {
        return key;
    }

    public boolean invalidUtf8() {
        return invalidUtf8;
    }

    /** The payload's bytes (valid up to {@link #payloadLength()}), ending with a line feed; reused per record. */
    public byte[] payloadBytes() {
        return payload.bytes();
    }

    public int payloadLength() {
        return payload.size();
    }

    @Override
    public void close() {
        try {
            if (csv != null) {
                csv.close();
            } else {
                lines.close();
            }
        } catch (IOException ignored) {
            // read-only stream
        }
    }

    /** A byte buffer whose array is read in place. */
    static final class Payload extends ByteArrayOutputStream {
        Payload() {
            super(1024);
        }

        byte[] bytes() {
            return buf;
        }

        /**
         * Writes the record as FastCSV's writer would when no field needs quoting (the common case: the
         * fields joined by commas, a line feed, UTF-8), without its per-record encoder flush; false, with
         * nothing written, when a field needs quoting (a quote, comma, CR or LF in it, a comment mark
         * opening the record, or a lone empty field), which is left to the writer. GetChunks spent about
         * a third of its read phase in the writer (profile in docs/benchmarks.md).
         */
        boolean plainCsv(String[] values, int n) {
            if (n == 0 || (n == 1 && values[0].isEmpty()) || (!values[0].isEmpty() && values[0].charAt(0) == '#')) {
                return false;
            }
            int length = n;
            for (int i = 0; i < n; i++) {
                String v = values[i];
                for (int j = 0; j < v.length(); j++) {
                    char c = v.charAt(j);
                    if (c == '"' || c == ',' || c == '\n' || c == '\r') {
                        return false;
                    }
                }
                length += v.length();
            }
            ensure(count + 3L * length + 1); // UTF-8: at most 3 bytes per char
            for (int i = 0; i < n; i++) {
                if (i > 0) {
                    buf[count++] = ',';
                }
                String v = values[i];
                int len = v.length();
                int j = 0;
                for (; j < len; j++) {
                    char c = v.charAt(j);
                    if (c >= 0x80) {
                        break;
                    }
                    buf[count++] = (byte) c;
                }
                if (j < len) {
                    byte[] rest = v.substring(j).getBytes(StandardCharsets.UTF_8);
                    System.arraycopy(rest, 0, buf, count, rest.length);
                    count += rest.length;
                }
            }
            buf[count++] = '\n';
            return true;
        }

        private void ensure(long capacity) {
            if (capacity > buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.max(capacity, 2L * buf.length));
            }
        }
    }
}
