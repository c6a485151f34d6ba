package dev.chunkflow.offload;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** Random but valid DynamoDB items: every type, deep nesting, unicode, odd numbers, long names. */
final class RandomItems {
    private static final String[] ALPHABETS = {
        "abcdefghijklmnopqrstuvwxyz0123456789_- ",   // 1 byte
        "éüßñøçåæ¿¡",                              // 2 bytes
        "日本語中文한국어ไทย€",                        // 3 bytes
        "😀🚀🎉🧪🐍",                                 // 4 bytes (surrogate pairs)
    };
    private final Random random;

    RandomItems(Random random) {
        this.random = random;
    }

    Map<String, AttributeValue> item(String keyValue, int attributes, int maxDepth) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("job_id", AttributeValue.fromS(keyValue));
        while (item.size() < attributes + 1) {
            item.put(name(), value(maxDepth));
        }
        return item;
    }

    AttributeValue value(int depth) {
        int kind = random.nextInt(depth > 0 ? 12 : 9);
        return switch (kind) {
            case 0 -> AttributeValue.fromS(string(random.nextInt(200)));
            case 1, 2 -> AttributeValue.fromN(number());
            case 3 -> AttributeValue.fromB(SdkBytes.fromByteArray(bytes(random.nextInt(300))));
            case 4 -> AttributeValue.fromBool(random.nextBoolean());
            case 5 -> AttributeValue.builder().nul(true).build();
            case 6 -> AttributeValue.fromSs(stringSet(1 + random.nextInt(8)));
            case 7 -> AttributeValue.fromNs(numberSet(1 + random.nextInt(8)));
            case 8 -> AttributeValue.fromBs(bytesSet(1 + random.nextInt(5)));
            case 9, 10 -> list(depth - 1);
            default -> map(depth - 1);
        };
    }

    AttributeValue list(int depth) {
        List<AttributeValue> l = new ArrayList<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            l.add(value(depth));
        }
        return AttributeValue.fromL(l);
    }

    AttributeValue map(int depth) {
        Map<String, AttributeValue> m = new LinkedHashMap<>();
        int n = random.nextInt(6);
        for (int i = 0; i < n; i++) {
            m.put(name(), value(depth));
        }
        return AttributeValue.fromM(m);
    }

    /** Attribute names from 1 to 300 characters, mixing 1- to 4-byte characters. */
    String name() {
        int len = random.nextInt(10) == 0 ? 100 + random.nextInt(200) : 1 + random.nextInt(12);
        return string(len).isEmpty() ? "a" : string(len);
    }

    String string(int codePoints) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < codePoints; i++) {
            String alphabet = ALPHABETS[random.nextInt(10) < 6 ? 0 : 1 + random.nextInt(3)];
            int[] cps = alphabet.codePoints().toArray();
            sb.appendCodePoint(cps[random.nextInt(cps.length)]);
        }
        return sb.toString();
    }

    /**
     * A number string DynamoDB accepts, in many spellings: 1 to 38 significant digits, leading and
     * trailing zeros, a decimal point anywhere, negative, exponent notation, zero.
     */
    String number() {
        if (random.nextInt(20) == 0) {
            return random.nextBoolean() ? "0" : "-0.000";
        }
        int digits = 1 + random.nextInt(random.nextBoolean() ? 38 : 6);
        StringBuilder sig = new StringBuilder();
        sig.append((char) ('1' + random.nextInt(9)));
        for (int i = 1; i < digits; i++) {
            sig.append((char) ('0' + random.nextInt(10)));
        }
        String mantissa = sig.toString();
        int style = random.nextInt(4);
        String s;
        if (style == 0) {
            s = mantissa + "0".repeat(random.nextInt(5));
        } else if (style == 1) {
            int point = random.nextInt(mantissa.length() + 1);
            s = (point == 0 ? "0" : mantissa.substring(0, point)) + "." + mantissa.substring(point) + "0".repeat(random.nextInt(3));
        } else if (style == 2) {
            s = "0." + "0".repeat(random.nextInt(20)) + mantissa;
        } else {
            int exp = random.nextInt(150) - 75;
            s = mantissa.charAt(0) + (mantissa.length() > 1 ? "." + mantissa.substring(1) : "") + "E" + (exp >= 0 ? "+" : "") + exp;
        }
        if (random.nextInt(3) == 0) {
            s = "-" + s;
        }
        return s;
    }

    byte[] bytes(int n) {
        byte[] b = new byte[Math.max(1, n)];
        random.nextBytes(b);
        return b;
    }

    List<String> stringSet(int n) {
        Set<String> s = new HashSet<>();
        while (s.size() < n) {
            s.add(string(1 + random.nextInt(40)));
        }
        return new ArrayList<>(s);
    }

    List<String> numberSet(int n) {
        Set<BigDecimal> seen = new HashSet<>();
        List<String> out = new ArrayList<>();
        while (out.size() < n) {
            String v = number();
            if (seen.add(new BigDecimal(v).stripTrailingZeros())) {
                out.add(v);
            }
        }
        return out;
    }

    List<SdkBytes> bytesSet(int n) {
        Set<String> seen = new HashSet<>();
        List<SdkBytes> out = new ArrayList<>();
        while (out.size() < n) {
            byte[] b = bytes(1 + random.nextInt(60));
            if (seen.add(java.util.HexFormat.of().formatHex(b))) {
                out.add(SdkBytes.fromByteArray(b));
            }
        }
        return out;
    }
}
