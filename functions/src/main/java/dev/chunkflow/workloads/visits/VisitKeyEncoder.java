package dev.chunkflow.workloads.visits;

import dev.chunkflow.workload.KeyEncoder;

/**
 * Packs a well-formed visits key ({@code yyyy-MM-dd}, {@code ddd-dd-dddd}) into one long
 * ({@code yyyyMMdd * 10^9 + ssn digits}), so the planning index of millions of keys is two primitive
 * arrays instead of millions of objects. Long order equals (visit_date, ssn) string order. Keys of any
 * other shape (malformed rows) get {@link #NONE} and take the planner's general path.
 */
final class VisitKeyEncoder implements KeyEncoder {
    static final int DATE_CHARS = 10;
    static final int SSN_CHARS = 11;

    @Override
    public long encode(String[] parts) {
        return encode(parts[0], parts[1]);
    }

    static long encode(String d, String s) {
        if (d.length() != DATE_CHARS || s.length() != SSN_CHARS) {
            return NONE;
        }
        long date = 0;
        for (int i = 0; i < DATE_CHARS; i++) {
            char c = d.charAt(i);
            if (i == 4 || i == 7) {
                if (c != '-') {
                    return NONE;
                }
            } else if (c < '0' || c > '9') {
                return NONE;
            } else {
                date = date * 10 + (c - '0');
            }
        }
        long ssn = 0;
        for (int i = 0; i < SSN_CHARS; i++) {
            char c = s.charAt(i);
            if (i == 3 || i == 6) {
                if (c != '-') {
                    return NONE;
                }
            } else if (c < '0' || c > '9') {
                return NONE;
            } else {
                ssn = ssn * 10 + (c - '0');
            }
        }
        return date * 1_000_000_000L + ssn;
    }

    @Override
    public String[] decode(long code) {
        char[] text = new char[DATE_CHARS + SSN_CHARS];
        digitsWithDashes(code / 1_000_000_000L, text, 0, DATE_CHARS, 4, 7);
        digitsWithDashes(code % 1_000_000_000L, text, DATE_CHARS, SSN_CHARS, 3, 6);
        return new String[] {new String(text, 0, DATE_CHARS), new String(text, DATE_CHARS, SSN_CHARS)};
    }

    /** {@code value}'s digits, zero-padded, right-aligned in {@code length} chars with '-' at two positions. */
    private static void digitsWithDashes(long value, char[] out, int off, int length, int dash1, int dash2) {
        long v = value;
        for (int i = length - 1; i >= 0; i--) {
            if (i == dash1 || i == dash2) {
                out[off + i] = '-';
            } else {
                out[off + i] = (char) ('0' + v % 10);
                v /= 10;
            }
        }
    }
}
