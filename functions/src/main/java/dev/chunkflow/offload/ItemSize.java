package dev.chunkflow.offload;

import java.math.BigDecimal;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The exact size DynamoDB counts against its 409,600-byte item limit, computed, not estimated.
 *
 * <ul>
 *   <li>item: for each top-level attribute, UTF-8 bytes of its name + size of its value (no overhead);</li>
 *   <li>S: UTF-8 bytes; B: raw bytes; BOOL and NULL: 1;</li>
 *   <li>N: the length of DynamoDB's base-100 encoding (see {@link #number(String)});</li>
 *   <li>SS / NS / BS: the sum of the element sizes, no overhead;</li>
 *   <li>L: 3 + for each element (1 + element size);</li>
 *   <li>M: 3 + for each entry (1 + UTF-8 bytes of the key + value size).</li>
 * </ul>
 *
 * Proven against DynamoDB Local, which accepts exactly the items whose size by these rules is at most
 * 409,600 bytes (see ItemSizeDynamoDbTest).
 */
public final class ItemSize {
    private static final int NESTED_OVERHEAD = 3;
    private static final int ELEMENT_OVERHEAD = 1;

    private ItemSize() {
    }

    public static long bytes(Map<String, AttributeValue> item) {
        long total = 0;
        for (Map.Entry<String, AttributeValue> e : item.entrySet()) {
            total += attribute(e.getKey(), e.getValue());
        }
        return total;
    }

    /** One top-level attribute: its name plus its value. */
    public static long attribute(String name, AttributeValue value) {
        return utf8Length(name) + value(value);
    }

    public static long value(AttributeValue v) {
        return switch (v.type()) {
            case S -> utf8Length(v.s());
            case N -> number(v.n());
            case B -> v.b().asByteArrayUnsafe().length;
            case BOOL, NUL -> 1;
            case SS -> sumStrings(v.ss());
            case NS -> sumNumbers(v.ns());
            case BS -> sumBinaries(v.bs());
            case L -> list(v.l());
            case M -> map(v.m());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("attribute value of unknown type");
        };
    }

    /**
     * Size of a number: DynamoDB stores numbers as a sign/exponent byte followed by the significant
     * digits in base 100 (two decimal digits per byte, aligned on the decimal point, leading and
     * trailing zeros dropped); a negative number with fewer than 20 digit bytes carries one more
     * terminator byte. Zero is one byte. Hence "about 1 byte per 2 significant digits + 1".
     * Examples: 1 -> 2, 10 -> 2, 100 -> 2, 123 -> 3, 0.5 -> 2, 1.5 -> 3, -1 -> 3.
     */
    public static int number(String n) {
        BigDecimal d = new BigDecimal(n.trim());
        if (d.signum() == 0) {
            return 1;
        }
        BigDecimal abs = d.abs().stripTrailingZeros();
        int digits = abs.precision();
        int integerDigits = digits - abs.scale();
        // base-100 pairs are aligned on the decimal point: an odd count of integer digits needs a pad
        int pad = integerDigits % 2 != 0 ? 1 : 0;
        int digitBytes = (digits + pad + 1) / 2;
        int size = 1 + digitBytes;
        if (d.signum() < 0 && digitBytes < 20) {
            size++;
        }
        return size;
    }

    /** UTF-8 length without allocating (unpaired surrogates count 1, as {@code String.getBytes} does). */
    public static long utf8Length(String s) {
        long n = 0;
        int len = s.length();
        for (int i = 0; i < len; i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c) && i + 1 < len && Character.isLowSurrogate(s.charAt(i + 1))) {
                n += 4;
                i++;
            } else if (Character.isSurrogate(c)) {
                n += 1;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static long list(List<AttributeValue> elements) {
        long total = NESTED_OVERHEAD;
        for (AttributeValue e : elements) {
            total += ELEMENT_OVERHEAD + value(e);
        }
        return total;
    }

    private static long map(Map<String, AttributeValue> entries) {
        long total = NESTED_OVERHEAD;
        for (Map.Entry<String, AttributeValue> e : entries.entrySet()) {
            total += ELEMENT_OVERHEAD + utf8Length(e.getKey()) + value(e.getValue());
        }
        return total;
    }

    private static long sumStrings(List<String> values) {
        long total = 0;
        for (String s : values) {
            total += utf8Length(s);
        }
        return total;
    }

    private static long sumNumbers(List<String> values) {
        long total = 0;
        for (String s : values) {
            total += number(s);
        }
        return total;
    }

    private static long sumBinaries(List<SdkBytes> values) {
        long total = 0;
        for (SdkBytes b : values) {
            total += b.asByteArrayUnsafe().length;
        }
        return total;
    }
}
