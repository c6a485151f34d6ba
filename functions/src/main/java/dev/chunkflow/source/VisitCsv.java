package dev.chunkflow.source;

import java.util.List;

import dev.chunkflow.common.InvalidInput;

/**
 * The visit CSV format: a header row, then one visit per line. Quoted fields (RFC 4180, {@code ""}
 * for a quote) are understood within a line; a quoted field spanning lines is not supported (the
 * line numbers in reject records are physical lines).
 */
public final class VisitCsv {
    public static final List<String> COLUMNS = List.of(
            "visit_id", "visit_date", "ssn", "provider_id", "procedure_code", "amount_cents", "updated_at");
    public static final int FIELDS = 7;
    public static final int VISIT_ID = 0;
    public static final int VISIT_DATE = 1;
    public static final int SSN = 2;
    public static final int PROVIDER_ID = 3;
    public static final int PROCEDURE_CODE = 4;
    public static final int AMOUNT_CENTS = 5;
    public static final int UPDATED_AT = 6;
    public static final String HEADER = String.join(",", COLUMNS);

    private VisitCsv() {
    }

    /** Checks an object's header row (BOM, surrounding blanks and case tolerated). */
    public static void requireHeader(String headerLine, String where) {
        String h = headerLine == null ? "" : headerLine;
        if (!h.isEmpty() && h.charAt(0) == '\uFEFF') {
            h = h.substring(1);
        }
        String[] fields = new String[FIELDS + 1];
        int n = split(h, 0, fields);
        boolean ok = n == FIELDS;
        for (int i = 0; ok && i < FIELDS; i++) {
            ok = COLUMNS.get(i).equalsIgnoreCase(fields[i].trim());
        }
        if (!ok) {
            throw new InvalidInput("source", where + ": header must be " + HEADER);
        }
    }

    /**
     * Splits {@code line} from offset {@code from} into {@code out}; returns the number of fields in
     * the line (which may be larger than {@code out.length}: the extra fields are counted, not stored).
     */
    public static int split(String line, int from, String[] out) {
        if (line.indexOf('"', from) < 0) {
            int count = 0;
            int start = from;
            while (true) {
                int comma = line.indexOf(',', start);
                int end = comma < 0 ? line.length() : comma;
                if (count < out.length) {
                    out[count] = line.substring(start, end);
                }
                count++;
                if (comma < 0) {
                    return count;
                }
                start = comma + 1;
            }
        }
        return splitQuoted(line, from, out);
    }

    private static int splitQuoted(String line, int from, String[] out) {
        int count = 0;
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        int i = from;
        int n = line.length();
        while (true) {
            if (i >= n) {
                if (count < out.length) {
                    out[count] = field.toString();
                }
                return count + 1;
            }
            char c = line.charAt(i);
            if (quoted) {
                if (c == '"') {
                    if (i + 1 < n && line.charAt(i + 1) == '"') {
                        field.append('"');
                        i += 2;
                        continue;
                    }
                    quoted = false;
                } else {
                    field.append(c);
                }
            } else if (c == '"') {
                quoted = true;
            } else if (c == ',') {
                if (count < out.length) {
                    out[count] = field.toString();
                }
                count++;
                field.setLength(0);
            } else {
                field.append(c);
            }
            i++;
        }
    }
}
