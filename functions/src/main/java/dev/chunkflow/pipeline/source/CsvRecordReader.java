package dev.chunkflow.pipeline.source;

import java.io.Closeable;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.Iterator;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvRecord;

/**
 * The records of CSV text exactly as {@link Csvs#reader} reads them (same fields, same starting line
 * numbers, FastCSV's own exceptions), faster: a line that holds no quote character is a whole record
 * under RFC 4180, so it is split at its commas here; a line with a quote starts a block of lines, extended
 * until its quotes pair up, and FastCSV parses that block. Profiles put FastCSV's character loop at about
 * 40% of GetChunks' read and of ProcessChunk's chunk-data read, and almost every line of real data is
 * quote-free (docs/benchmarks.md, planner).
 */
public final class CsvRecordReader implements Closeable {
    private final Reader in;
    private final char[] buf;
    private int pos;
    private int lim;
    private boolean eof;

    private long physicalLine; // lines consumed so far
    private String[] fields = new String[16];
    private int count;
    private long startingLine;
    private Iterator<CsvRecord> block;
    private CharSequence blockText;
    private long blockFirstLine;

    public CsvRecordReader(Reader in) {
        this(in, 64 * 1024);
    }

    CsvRecordReader(Reader in, int bufferChars) {
        this.in = in;
        this.buf = new char[bufferChars];
    }

    /** Advances to the next record; false at the end of the text. */
    public boolean next() {
        try {
            if (block != null) {
                if (hasNextInBlock()) {
                    take(block.next());
                    return true;
                }
                block = null;
            }
            while (true) {
                if (!fill(1)) {
                    return false;
                }
                long line = physicalLine + 1;
                int start = pos;
                int end = lineEnd(start);
                int terminator = end < 0 ? -1 : terminatorLength(end);
                if (terminator < 0) {
                    if (end != QUOTE && more()) {
                        continue; // the line (or its CRLF) goes on past the buffer: read on and look again
                    }
                    return nextBlock(line); // a quote, or a line longer than the buffer: FastCSV takes the block
                }
                pos = end + terminator;
                physicalLine = line;
                if (end == start) {
                    continue; // an empty line is no record
                }
                split(start, end);
                startingLine = line;
                return true;
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final int QUOTE = -1;
    private static final int BUFFER_END = -2;

    /** End of the line at {@code start} (its CR or LF, or the text's end), {@link #QUOTE} or {@link #BUFFER_END}. */
    private int lineEnd(int start) {
        for (int i = start; i < lim; i++) {
            char c = buf[i];
            if (c == '\n' || c == '\r') {
                return i;
            }
            if (c == '"') {
                return QUOTE;
            }
        }
        return eof ? lim : BUFFER_END;
    }

    /** Moves the unread text to the buffer's start and reads more; false if the buffer is full or the text ended. */
    private boolean more() throws IOException {
        int unread = lim - pos;
        if (unread == buf.length || eof) {
            return false;
        }
        fill(unread + 1);
        return true;
    }

    /** 1 or 2 (CRLF) for the terminator at {@code end}, 0 at the text's end, -1 if a CR ends the buffer before the text's end. */
    private int terminatorLength(int end) {
        if (end == lim) {
            return 0;
        }
        if (buf[end] == '\n') {
            return 1;
        }
        if (end + 1 < lim) {
            return buf[end + 1] == '\n' ? 2 : 1;
        }
        return eof ? 1 : -1;
    }

    private void split(int start, int end) {
        count = 0;
        int from = start;
        for (int i = start; i <= end; i++) {
            if (i == end || buf[i] == ',') {
                if (count == fields.length) {
                    fields = Arrays.copyOf(fields, count * 2);
                }
                fields[count++] = new String(buf, from, i - from);
                from = i + 1;
            }
        }
    }

    /**
     * The record starting at {@code line} (it holds a quote), to its end as FastCSV finds it: a quote opens a
     * quoted field only at the field's start, then every quote in that field toggles quoting (an escaped
     * quote toggles twice; FastCSV keeps text after a closing quote and a later quote re-opens); a line
     * break ends the record only outside quotes. FastCSV parses that text.
     */
    private boolean nextBlock(long line) throws IOException {
        StringBuilder text = new StringBuilder();
        long lines = 0;
        boolean fieldStart = true;
        boolean quotedField = false;
        boolean open = false;
        while (true) {
            if (pos == lim && !fill(1)) {
                break;
            }
            char c = buf[pos++];
            text.append(c);
            if (open) {
                if (c == '"') {
                    open = false;
                } else if (c == '\r' || c == '\n') {
                    lines += lineBreak(c, text);
                }
                continue;
            }
            if (c == '"') {
                if (fieldStart || quotedField) {
                    quotedField = true;
                    open = true;
                }
                fieldStart = false;
            } else if (c == ',') {
                fieldStart = true;
                quotedField = false;
            } else if (c == '\n' || c == '\r') {
                lines += lineBreak(c, text);
                break;
            } else {
                fieldStart = false;
            }
        }
        physicalLine = line - 1 + lines;
        if (text.length() > 0 && !(text.charAt(text.length() - 1) == '\n' || text.charAt(text.length() - 1) == '\r')) {
            physicalLine++; // the text ended inside the block's last line
        }
        blockFirstLine = line;
        blockText = text;
        block = Csvs.reader(new StringReader(text.toString())).iterator();
        if (hasNextInBlock()) {
            take(block.next());
            return true;
        }
        block = null;
        return next();
    }

    /** Takes the LF of a CRLF too; one line either way. */
    private int lineBreak(char c, StringBuilder text) throws IOException {
        if (c == '\r') {
            if (pos == lim) {
                fill(1);
            }
            if (pos < lim && buf[pos] == '\n') {
                text.append(buf[pos++]);
            }
        }
        return 1;
    }

    private boolean hasNextInBlock() {
        try {
            return block.hasNext();
        } catch (CsvParseException e) {
            // FastCSV counts lines from the block's start: parse again behind as many empty lines as came
            // before it (skipped, but counted), so its message names the line in the whole text.
            StringBuilder placed = new StringBuilder((int) Math.min(Integer.MAX_VALUE - 8, blockFirstLine - 1 + blockText.length()));
            for (long i = 1; i < blockFirstLine; i++) {
                placed.append('\n');
            }
            placed.append(blockText);
            Iterator<CsvRecord> again = Csvs.reader(new StringReader(placed.toString())).iterator();
            while (again.hasNext()) {
                again.next();
            }
            throw e;
        }
    }

    private void take(CsvRecord r) {
        count = r.getFieldCount();
        if (count > fields.length) {
            fields = new String[Math.max(count, fields.length * 2)];
        }
        for (int i = 0; i < count; i++) {
            fields[i] = r.getField(i);
        }
        startingLine = blockFirstLine + r.getStartingLineNumber() - 1;
    }

    /** True if at least {@code n} chars are buffered (reading more if needed); false at the end with fewer. */
    private boolean fill(int n) throws IOException {
        while (lim - pos < n && !eof) {
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            int r = in.read(buf, lim, buf.length - lim);
            if (r < 0) {
                eof = true;
            } else {
                lim += r;
            }
        }
        return lim - pos >= n;
    }

    public int fieldCount() {
        return count;
    }

    public String field(int i) {
        return fields[i];
    }

    /** The current record's fields (valid up to {@link #fieldCount()}; reused by the next record). */
    public String[] fields() {
        return fields;
    }

    /** The line the current record starts on, counted as FastCSV counts (1-based; CR, LF and CRLF end a line). */
    public long startingLine() {
        return startingLine;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
