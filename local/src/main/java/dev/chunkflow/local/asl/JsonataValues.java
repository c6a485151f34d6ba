package dev.chunkflow.local.asl;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.dashjoin.jsonata.Jsonata;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Between Jackson nodes and the plain Java values dashjoin JSONata works on (Map, List, String,
 * Number, Boolean, {@link Jsonata#NULL_VALUE} for JSON null; Java null is JSONata's undefined).
 * Numbers come back as AWS serialises JSONata numbers: integral values as integers.
 */
final class JsonataValues {
    /** A JSONata result that JSON cannot hold (a function, a regex). */
    static final class Unsupported extends Exception {
        Unsupported() {
            super(null, null, false, false);
        }
    }

    private JsonataValues() {
    }

    static Object toJava(JsonNode n) {
        if (n == null || n.isNull() || n.isMissingNode()) {
            return Jsonata.NULL_VALUE;
        }
        if (n.isTextual()) {
            return n.textValue();
        }
        if (n.isBoolean()) {
            return n.booleanValue();
        }
        if (n.isIntegralNumber()) {
            if (n.canConvertToInt()) {
                return n.intValue();
            }
            return n.canConvertToLong() ? (Object) n.longValue() : (Object) n.doubleValue();
        }
        if (n.isNumber()) {
            return n.doubleValue();
        }
        if (n.isArray()) {
            List<Object> list = new ArrayList<>(n.size());
            n.forEach(i -> list.add(toJava(i)));
            return list;
        }
        Map<String, Object> map = new LinkedHashMap<>();
        n.fields().forEachRemaining(e -> map.put(e.getKey(), toJava(e.getValue())));
        return map;
    }

    /** JSON for a JSONata value; null stays null (undefined) at the top, becomes JSON null inside containers. */
    static JsonNode toJson(Object v) throws Unsupported {
        if (v == null) {
            return null;
        }
        return toJsonValue(v);
    }

    private static JsonNode toJsonValue(Object v) throws Unsupported {
        if (v == null || v == Jsonata.NULL_VALUE) {
            return AslJson.NODES.nullNode();
        }
        if (v instanceof String s) {
            return AslJson.NODES.textNode(s);
        }
        if (v instanceof Boolean b) {
            return AslJson.NODES.booleanNode(b);
        }
        if (v instanceof Number num) {
            return number(num);
        }
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = AslJson.NODES.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                if (e.getValue() != null) {
                    o.set(String.valueOf(e.getKey()), toJsonValue(e.getValue()));
                }
            }
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = AslJson.NODES.arrayNode();
            for (Object i : l) {
                a.add(toJsonValue(i));
            }
            return a;
        }
        throw new Unsupported();
    }

    private static JsonNode number(Number num) {
        if (num instanceof Integer || num instanceof Long || num instanceof Short || num instanceof Byte) {
            return AslJson.NODES.numberNode(num.longValue());
        }
        if (num instanceof BigInteger bi) {
            return AslJson.NODES.numberNode(bi);
        }
        double d = num.doubleValue();
        if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 9.007199254740992E15) {
            return AslJson.NODES.numberNode((long) d);
        }
        if (num instanceof BigDecimal bd) {
            return AslJson.NODES.numberNode(bd);
        }
        return AslJson.NODES.numberNode(d);
    }

    /** AWS's name for the JSON type of a value, as its error messages use it. */
    static String typeName(JsonNode n) {
        if (n.isNull()) {
            return "null";
        }
        if (n.isNumber()) {
            return "number";
        }
        if (n.isTextual()) {
            return "string";
        }
        if (n.isBoolean()) {
            return "boolean";
        }
        return n.isArray() ? "array" : "object";
    }
}
