package dev.chunkflow.chunks;

import dev.chunkflow.source.VisitCsv;
import dev.chunkflow.source.VisitKey;

/**
 * Packs a well-formed key ({@code yyyy-MM-dd}, {@code ddd-dd-dddd}) into one long
 * ({@code yyyyMMdd * 10^9 + ssn digits}), so the planning index of millions of keys is two primitive
 * arrays instead of millions of objects. Long order equals (visit_date, ssn) string order. Keys of
 * any other shape (malformed rows) are kept as {@link VisitKey} objects; they are rare.
 */
final class KeyCodec {
    static final long NONE = -1;

    private final String[] fields = new String[VisitCsv.FIELDS + 1];
    private VisitKey odd;

    /**
     * Reads the key of a CSV line starting at {@code from}. Returns its code, or {@link #NONE} when the
     * key is not well-formed; then {@link #oddKey()} holds it.
     */
    long read(String line, int from) {
        odd = null;
        if (line.indexOf('"', from) < 0) {
            int c1 = line.indexOf(',', from);
            int c2 = c1 < 0 ? -1 : line.indexOf(',', c1 + 1);
            if (c2 > 0) {
                int c3 = line.indexOf(',', c2 + 1);
                long code = encode(line, c1 + 1, c2, c2 + 1, c3 < 0 ? line.length() : c3);
                if (code != NONE) {
                    return code;
                }
            }
        }
        int n = VisitCsv.split(line, from, fields);
        VisitKey key = VisitKey.of(fields, n);
        long code = encode(key.visitDate(), 0, key.visitDate().length(), key.ssn(), 0, key.ssn().length());
        if (code == NONE) {
            odd = key;
        }
        return code;
    }

    VisitKey oddKey() {
        return odd;
    }

    private static long encode(String line, int ds, int de, int ss, int se) {
        return encode(line, ds, de, line, ss, se);
    }

    static long encode(CharSequence d, int ds, int de, CharSequence s, int ss, int se) {
        if (de - ds != 10 || se - ss != 11) {
            return NONE;
        }
        long date = 0;
        for (int i = 0; i < 10; i++) {
            char c = d.charAt(ds + i);
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
        for (int i = 0; i < 11; i++) {
            char c = s.charAt(ss + i);
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

    static String date(long code) {
        String d = Long.toString(code / 1_000_000_000L);
        d = "00000000".substring(d.length()) + d;
        return d.substring(0, 4) + '-' + d.substring(4, 6) + '-' + d.substring(6, 8);
    }

    static String ssn(long code) {
        String s = Long.toString(code % 1_000_000_000L);
        s = "000000000".substring(s.length()) + s;
        return s.substring(0, 3) + '-' + s.substring(3, 5) + '-' + s.substring(5, 9);
    }

    static final int DATE_CHARS = 10;
    static final int SSN_CHARS = 11;

    /** {@link #date(long)} written into {@code out} at {@code off} (10 chars). */
    static void date(long code, char[] out, int off) {
        digitsWithDashes(code / 1_000_000_000L, out, off, DATE_CHARS, 4, 7);
    }

    /** {@link #ssn(long)} written into {@code out} at {@code off} (11 chars). */
    static void ssn(long code, char[] out, int off) {
        digitsWithDashes(code % 1_000_000_000L, out, off, SSN_CHARS, 3, 6);
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

    static int partition(long code, int partitions) {
        long h = code * 0x9E3779B97F4A7C15L;
        return (int) Long.remainderUnsigned(h ^ (h >>> 29), partitions);
    }

    static int partition(VisitKey key, int partitions) {
        return partition(key.hashCode() & 0xffffffffL, partitions);
    }
}
