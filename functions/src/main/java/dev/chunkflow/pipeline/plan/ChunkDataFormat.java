package dev.chunkflow.pipeline.plan;

import java.io.BufferedReader;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.chunkflow.pipeline.source.CsvRecordReader;
import dev.chunkflow.workload.RecordFormat;

/**
 * A chunk's data object ({@code runs/{job}/chunks/NNNNN.data}): a header, then one record per row,
 * {@code source_index,line,flags,} followed by the record as the source had it: for CSV the fields
 * re-encoded by FastCSV (RFC 4180; a quoted field may span lines), for JSON Lines the JSON text. Plain
 * UTF-8, not gzipped: it is an intermediate object, read once by ProcessChunk, encrypted at rest and
 * expired by the lifecycle rule, and compressing it cost more than half of GetChunks' time
 * (docs/benchmarks.md, planner).
 */
public final class ChunkDataFormat {
    /** Flag: the source record held invalid UTF-8 (rejected by ProcessChunk, never handed to the workload). */
    public static final int INVALID_UTF8 = 1;

    private final RecordFormat format;
    private final byte[] header;

    public ChunkDataFormat(RecordFormat format) {
        this.format = format;
        String columns;
        if (format instanceof RecordFormat.Csv csv) {
            StringWriter w = new StringWriter();
            try (CsvWriter header = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).build(w)) {
                header.writeRecord(csv.columns());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            columns = w.toString().stripTrailing();
        } else {
            columns = "record";
        }
        this.header = ("source_index,line,flags," + columns + "\n").getBytes(StandardCharsets.UTF_8);
    }

    Builder builder() {
        return new Builder();
    }

    /** Accumulates one chunk's rows as UTF-8 bytes. */
    final class Builder {
        private final Bytes bytes = new Bytes();
        private final byte[] prefix = new byte[40];
        private long rows;

        Builder() {
            bytes.writeBytes(header);
        }

        /** {@code payload} ends with its own line feed. */
        void add(int sourceIndex, long line, int flags, byte[] payload, int length) {
            int n = ascii(Integer.toString(sourceIndex), 0);
            prefix[n++] = ',';
            n = ascii(Long.toString(line), n);
            prefix[n++] = ',';
            prefix[n++] = (byte) ('0' + flags);
            prefix[n++] = ',';
            bytes.write(prefix, 0, n);
            bytes.write(payload, 0, length);
            rows++;
        }

        private int ascii(String s, int at) {
            for (int i = 0; i < s.length(); i++) {
                prefix[at + i] = (byte) s.charAt(i);
            }
            return at + s.length();
        }

        long rows() {
            return rows;
        }

        /** The object's bytes, valid up to {@link #size()}: the builder's own buffer, not a copy (a partition's chunks are all in the heap at once). */
        byte[] buffer() {
            return bytes.buffer();
        }

        int size() {
            return bytes.size();
        }
    }

    /** A byte buffer handed out in place. */
    private static final class Bytes extends ByteArrayOutputStream {
        Bytes() {
            super(8192);
        }

        byte[] buffer() {
            return buf;
        }
    }

    /** One row of a data object as ProcessChunk reads it: CSV fields, or for JSON Lines one value, the JSON text. */
    public record Row(int sourceIndex, long line, int flags, String[] values) {
    }

    /** Reads a data object back; a row without the prefix is an {@link IllegalStateException} naming the row. */
    public Iterator<Row> read(InputStream in, String where) {
        if (format instanceof RecordFormat.Csv) {
            // CsvRecordReader buffers the text itself
            CsvRecordReader records = new CsvRecordReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            if (!records.next()) {
                throw new IllegalStateException(where + " has no header");
            }
            return new Iterator<>() {
                private boolean ahead;
                private boolean more;

                @Override
                public boolean hasNext() {
                    if (!ahead) {
                        more = records.next();
                        ahead = true;
                    }
                    return more;
                }

                @Override
                public Row next() {
                    if (!hasNext()) {
                        throw new java.util.NoSuchElementException();
                    }
                    ahead = false;
                    int n = records.fieldCount() - 3;
                    if (n < 1) {
                        throw new IllegalStateException(where + " line " + records.startingLine() + " has no record");
                    }
                    String[] fields = records.fields();
                    String[] values = new String[n];
                    System.arraycopy(fields, 3, values, 0, n);
                    return row(fields[0], fields[1], fields[2], values, where);
                }
            };
        }
        BufferedReader text = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 64 * 1024);
        try {
            if (text.readLine() == null) {
                throw new IllegalStateException(where + " has no header");
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + where, e);
        }
        return new Iterator<>() {
            private String next = advance();

            private String advance() {
                try {
                    return text.readLine();
                } catch (IOException e) {
                    throw new UncheckedIOException("cannot read " + where, e);
                }
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public Row next() {
                String l = next;
                next = advance();
                int c1 = l.indexOf(',');
                int c2 = c1 < 0 ? -1 : l.indexOf(',', c1 + 1);
                int c3 = c2 < 0 ? -1 : l.indexOf(',', c2 + 1);
                if (c3 < 0) {
                    throw new IllegalStateException(where + " has a row without its source reference");
                }
                return row(l.substring(0, c1), l.substring(c1 + 1, c2), l.substring(c2 + 1, c3),
                        new String[] {l.substring(c3 + 1)}, where);
            }
        };
    }

    private static Row row(String sourceIndex, String line, String flags, String[] values, String where) {
        int s;
        long l;
        int f;
        try {
            s = Integer.parseInt(sourceIndex);
            l = Long.parseLong(line);
            f = Integer.parseInt(flags);
        } catch (NumberFormatException e) {
            throw new IllegalStateException(where + " has a row without its source reference");
        }
        return new Row(s, l, f, values);
    }
}
