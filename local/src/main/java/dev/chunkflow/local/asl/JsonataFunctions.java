package dev.chunkflow.local.asl;

import java.security.SecureRandom;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import com.dashjoin.jsonata.Functions;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.dashjoin.jsonata.Jsonata.JFunctionCallable;
import com.dashjoin.jsonata.Utils;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;

/**
 * The functions Step Functions adds to JSONata ({@code $partition}, {@code $range}, {@code $hash},
 * {@code $random} with an optional seed, {@code $uuid}, {@code $parse}) and the ones it takes away
 * ({@code $eval}), as a registry bound into every evaluation. They share their logic with the
 * equivalent intrinsics.
 */
final class JsonataFunctions {
    /** A function failed on its arguments; becomes States.QueryEvaluationError. */
    static final class FunctionError extends RuntimeException {
        FunctionError(String message) {
            super(message, null, false, false);
        }
    }

    static final Map<String, JFunction> REGISTRY = registry();

    private static final SecureRandom UNSEEDED = new SecureRandom();

    private JsonataFunctions() {
    }

    private static Map<String, JFunction> registry() {
        Map<String, JFunction> r = new LinkedHashMap<>();
        r.put("partition", fn("partition", 2, 2, a -> {
            ArrayNode items = array(a.get(0));
            return JsonataValues.toJava(Intrinsics.partition(items, integer(a.get(1))));
        }));
        r.put("range", fn("range", 3, 3, a -> {
            ArrayNode values = Intrinsics.range(integer(a.get(0)), integer(a.get(1)), integer(a.get(2)));
            // a JSONata sequence, not an array: a single value comes out as that value, as on AWS
            List<Object> seq = Utils.createSequence();
            values.forEach(v -> seq.add(JsonataValues.toJava(v)));
            return seq;
        }));
        r.put("hash", fn("hash", 2, 2, a -> {
            Object data = a.get(0);
            String text = data instanceof String s ? s : AslJson.write(json(data));
            return Intrinsics.hash(text, string(a.get(1)));
        }));
        r.put("random", fn("random", 0, 1, a -> {
            Random r0 = a.isEmpty() || a.get(0) == null ? UNSEEDED : new Random(integer(a.get(0)));
            return r0.nextDouble();
        }));
        r.put("uuid", fn("uuid", 0, 0, a -> UUID.randomUUID().toString()));
        r.put("parse", fn("parse", 1, 1, a -> {
            String text = string(a.get(0));
            try {
                return JsonataValues.toJava(AslJson.parse(text));
            } catch (IllegalArgumentException e) {
                throw new FunctionError("$parse: the argument is " + e.getMessage());
            }
        }));
        r.put("eval", fn("eval", 0, Integer.MAX_VALUE, a -> {
            throw new FunctionError("The function $eval is not supported by Step Functions (use $parse to read JSON text)");
        }));
        return Map.copyOf(r);
    }

    /**
     * {@code $now()} and {@code $millis()} on the engine's clock (virtual time included). The library's
     * own read a timestamp kept per thread that is not the evaluation's, so they are replaced.
     */
    static Map<String, JFunction> clock(long millis) {
        return Map.of(
                "millis", fn("millis", 0, 0, a -> millis),
                "now", fn("now", 0, 2, a -> Functions.dateTimeFromMillis(millis,
                        a.isEmpty() ? null : (String) a.get(0), a.size() < 2 ? null : (String) a.get(1))));
    }

    @FunctionalInterface
    private interface Body {
        Object apply(List<Object> args);
    }

    private static JFunction fn(String name, int min, int max, Body body) {
        JFunctionCallable callable = (input, args) -> {
            @SuppressWarnings("unchecked")
            List<Object> a = (List<Object>) args;
            if (a.size() < min || a.size() > max) {
                throw new FunctionError("$" + name + " takes " + (min == max ? String.valueOf(min) : min + " to " + max)
                        + " arguments, got " + a.size());
            }
            try {
                return body.apply(a);
            } catch (IllegalArgumentException e) {
                throw new FunctionError("$" + name + ": " + e.getMessage());
            }
        };
        return new JFunction(callable, null);
    }

    private static JsonNode json(Object v) {
        try {
            JsonNode n = JsonataValues.toJson(v);
            return n == null ? AslJson.NODES.nullNode() : n;
        } catch (JsonataValues.Unsupported e) {
            throw new IllegalArgumentException("the argument is not a JSON value");
        }
    }

    private static ArrayNode array(Object v) {
        JsonNode n = json(v);
        if (!n.isArray()) {
            throw new IllegalArgumentException("the first argument must be an array");
        }
        return (ArrayNode) n;
    }

    private static long integer(Object v) {
        Long l = v instanceof Number ? AslJson.exactLong(json(v)) : null;
        if (l == null) {
            throw new IllegalArgumentException("expected an integer but got " + AslJson.write(json(v)));
        }
        return l;
    }

    private static String string(Object v) {
        if (!(v instanceof String s)) {
            throw new IllegalArgumentException("expected a string but got " + AslJson.write(json(v)));
        }
        return s;
    }
}
