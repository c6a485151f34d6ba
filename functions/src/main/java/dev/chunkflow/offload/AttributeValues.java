package dev.chunkflow.offload;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.chunkflow.common.InvalidInput;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * Plain JSON-like Java values (Map, List, String, Number, Boolean, null, byte[]) to and from DynamoDB
 * attribute values. Numbers keep their exact decimal value; anything DynamoDB would reject (more than
 * 38 significant digits, magnitude out of range, NaN) is {@link InvalidInput} naming the path.
 */
public final class AttributeValues {
    private static final int MAX_PRECISION = 38;
    private static final int MIN_EXPONENT = -130;
    private static final int MAX_EXPONENT = 125;
    private static final AttributeValue NULL = AttributeValue.builder().nul(true).build();

    private AttributeValues() {
    }

    public static AttributeValue toAttribute(Object value, String path) {
        if (value == null) {
            return NULL;
        }
        if (value instanceof AttributeValue av) {
            return av;
        }
        if (value instanceof String s) {
            return AttributeValue.fromS(s);
        }
        if (value instanceof Boolean b) {
            return AttributeValue.fromBool(b);
        }
        if (value instanceof Number n) {
            return AttributeValue.fromN(number(n, path));
        }
        if (value instanceof byte[] bytes) {
            return AttributeValue.fromB(SdkBytes.fromByteArray(bytes));
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, AttributeValue> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : map.entrySet()) {
                if (!(e.getKey() instanceof String key)) {
                    throw new InvalidInput(path, "map keys must be strings");
                }
                m.put(key, toAttribute(e.getValue(), path + "." + key));
            }
            return AttributeValue.fromM(m);
        }
        if (value instanceof Collection<?> list) {
            List<AttributeValue> l = new ArrayList<>(list.size());
            int i = 0;
            for (Object o : list) {
                l.add(toAttribute(o, path + "[" + i++ + "]"));
            }
            return AttributeValue.fromL(l);
        }
        throw new InvalidInput(path, "unsupported value type " + value.getClass().getSimpleName());
    }

    public static List<AttributeValue> toList(List<?> values, String path) {
        return values == null ? null : toAttribute(values, path).l();
    }

    /** The canonical DynamoDB number string for {@code n}, validated against DynamoDB's number rules. */
    static String number(Number n, String path) {
        BigDecimal d;
        if (n instanceof BigDecimal bd) {
            d = bd;
        } else if (n instanceof BigInteger bi) {
            d = new BigDecimal(bi);
        } else if (n instanceof Double || n instanceof Float) {
            double v = n.doubleValue();
            if (Double.isNaN(v) || Double.isInfinite(v)) {
                throw new InvalidInput(path, "number must be finite");
            }
            d = new BigDecimal(Double.toString(v));
        } else {
            d = BigDecimal.valueOf(n.longValue());
        }
        if (d.signum() == 0) {
            return "0";
        }
        BigDecimal stripped = d.stripTrailingZeros();
        if (stripped.precision() > MAX_PRECISION) {
            throw new InvalidInput(path, "number has more than 38 significant digits");
        }
        int exponent = stripped.precision() - stripped.scale() - 1;
        if (exponent < MIN_EXPONENT || exponent > MAX_EXPONENT) {
            throw new InvalidInput(path, "number magnitude out of DynamoDB's range (1E-130 to 9.99E+125)");
        }
        return stripped.toPlainString();
    }

    /** JSON-like Java value: Map (insertion ordered), List, String, Long or BigDecimal, Boolean, null, byte[]. */
    public static Object toObject(AttributeValue v) {
        return switch (v.type()) {
            case S -> v.s();
            case N -> numberValue(v.n());
            case B -> v.b().asByteArray();
            case BOOL -> v.bool();
            case NUL -> null;
            case SS -> new ArrayList<>(v.ss());
            case NS -> v.ns().stream().map(AttributeValues::numberValue).toList();
            case BS -> v.bs().stream().map(SdkBytes::asByteArray).toList();
            case L -> {
                List<Object> out = new ArrayList<>(v.l().size());
                for (AttributeValue e : v.l()) {
                    out.add(toObject(e));
                }
                yield out;
            }
            case M -> toObjectMap(v.m());
            case UNKNOWN_TO_SDK_VERSION -> throw new IllegalArgumentException("attribute value of unknown type");
        };
    }

    public static Map<String, Object> toObjectMap(Map<String, AttributeValue> m) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : m.entrySet()) {
            out.put(e.getKey(), toObject(e.getValue()));
        }
        return out;
    }

    /** Integral values that fit become Long (so JSON shows 3, not 3.0); the rest stay exact BigDecimal. */
    public static Number numberValue(String n) {
        BigDecimal d = new BigDecimal(n);
        if (d.signum() == 0) {
            return 0L;
        }
        BigDecimal s = d.stripTrailingZeros();
        if (s.scale() <= 0 && s.precision() - s.scale() <= 18) {
            return s.longValueExact();
        }
        return s;
    }
}
