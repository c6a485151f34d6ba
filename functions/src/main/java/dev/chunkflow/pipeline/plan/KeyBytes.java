package dev.chunkflow.pipeline.plan;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;

import dev.chunkflow.workload.KeyType;

/**
 * A key's parts as bytes whose unsigned order is the {@link dev.chunkflow.workload.GroupingKey#comparator()}
 * order, so the planner sorts millions of keys with a byte compare instead of walking String objects and
 * parsing typed parts on every comparison.
 *
 * <p>Text: each UTF-16 char {@code c} as {@code v = c + 1} in 1 byte ({@code v < 0x80}), 2 bytes
 * ({@code 0x80 | v >> 8}, then {@code v & 0xff}, for {@code v < 0x4000}) or 3 bytes ({@code 0xc0 | v >> 16},
 * then the low 16 bits), then a 0 byte. The first byte of a char is never 0 and longer forms start with
 * higher bytes, so the bytes order as {@link String#compareTo} does (char by char, a prefix first), they
 * are injective (lone surrogates included, which UTF-8 would turn into '?') and each part ends itself.
 *
 * <p>Typed parts ({@link KeyType#DATE}, {@link KeyType#NUMBER}) get a sort form: a tag (parsed before
 * unparsed), the value in order-preserving bytes, then the text as above (equal values order by text),
 * mirroring {@code KeyType}'s rules.
 */
final class KeyBytes {
    private static final int TAG_NEGATIVE = 1;
    private static final int TAG_ZERO = 2;
    private static final int TAG_POSITIVE = 3;
    private static final int TAG_DATE = 1;
    private static final int TAG_UNPARSED = 4;

    private byte[] buf = new byte[64];
    private int length;

    byte[] bytes() {
        return buf;
    }

    int length() {
        return length;
    }

    KeyBytes reset() {
        length = 0;
        return this;
    }

    /** Appends every part's text form: the identity (and, for string parts, the order) of a key. */
    KeyBytes text(String[] parts) {
        for (String p : parts) {
            text(p);
        }
        return this;
    }

    /** Appends the sort form of every part by its type. */
    KeyBytes sortForm(KeyType[] types, String[] parts) {
        for (int i = 0; i < parts.length; i++) {
            switch (types[i]) {
                case STRING -> text(parts[i]);
                case DATE -> date(parts[i]);
                case NUMBER -> number(parts[i]);
            }
        }
        return this;
    }

    private void text(String s) {
        int n = s.length();
        ensure(3 * n + 1);
        byte[] b = buf;
        int at = length;
        for (int i = 0; i < n; i++) {
            int v = s.charAt(i) + 1;
            if (v < 0x80) {
                b[at++] = (byte) v;
            } else if (v < 0x4000) {
                b[at++] = (byte) (0x80 | v >> 8);
                b[at++] = (byte) v;
            } else {
                b[at++] = (byte) (0xc0 | v >> 16);
                b[at++] = (byte) (v >> 8);
                b[at++] = (byte) v;
            }
        }
        b[at++] = 0;
        length = at;
    }

    /** The parts of a key's text form ({@link #text(String[])}) at {@code off}. */
    static String[] decode(byte[] b, int off, int parts) {
        String[] out = new String[parts];
        StringBuilder sb = new StringBuilder();
        int at = off;
        for (int p = 0; p < parts; p++) {
            sb.setLength(0);
            while (b[at] != 0) {
                int first = b[at] & 0xff;
                int v;
                if (first < 0x80) {
                    v = first;
                    at += 1;
                } else if (first < 0xc0) {
                    v = (first & 0x3f) << 8 | (b[at + 1] & 0xff);
                    at += 2;
                } else {
                    v = (first & 0x3f) << 16 | (b[at + 1] & 0xff) << 8 | (b[at + 2] & 0xff);
                    at += 3;
                }
                sb.append((char) (v - 1));
            }
            at++;
            out[p] = sb.toString();
        }
        return out;
    }

    private void date(String s) {
        LocalDate d = parseDate(s);
        if (d == null) {
            tag(TAG_UNPARSED);
        } else {
            tag(TAG_DATE);
            signedLong(d.toEpochDay());
        }
        text(s);
    }

    private void number(String s) {
        BigDecimal n = parseNumber(s);
        if (n == null) {
            tag(TAG_UNPARSED);
            text(s);
            return;
        }
        int sign = n.signum();
        tag(sign < 0 ? TAG_NEGATIVE : sign == 0 ? TAG_ZERO : TAG_POSITIVE);
        if (sign != 0) {
            // |n| = 0.d1d2d3... x 10^(exponent): order by exponent, then by the digits (no trailing zeros).
            BigDecimal m = n.abs().stripTrailingZeros();
            String digits = m.unscaledValue().toString();
            long exponent = (long) m.precision() - m.scale();
            int flip = sign < 0 ? 0xff : 0; // a larger magnitude is a smaller negative number
            ensure(9 + digits.length());
            int from = length;
            signedLong(exponent);
            for (int i = from; i < length; i++) {
                buf[i] ^= (byte) flip;
            }
            for (int i = 0; i < digits.length(); i++) {
                buf[length++] = (byte) (digits.charAt(i) ^ flip);
            }
            buf[length++] = (byte) flip; // ends the digits below any digit ('0' = 0x30), flipped for negatives
        }
        text(s);
    }

    private void tag(int tag) {
        ensure(1);
        buf[length++] = (byte) tag;
    }

    private void signedLong(long v) {
        ensure(8);
        long x = v ^ Long.MIN_VALUE;
        for (int shift = 56; shift >= 0; shift -= 8) {
            buf[length++] = (byte) (x >>> shift);
        }
    }

    private void ensure(int more) {
        if (length + more > buf.length) {
            buf = Arrays.copyOf(buf, Math.max(buf.length * 2, length + more));
        }
    }

    private static LocalDate parseDate(String s) {
        try {
            return LocalDate.parse(s);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static BigDecimal parseNumber(String s) {
        try {
            return new BigDecimal(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
