package dev.chunkflow.local.asl;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.StringTokenizer;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * The intrinsic functions ({@code States.Format('{}', $.x)} and friends): parsed once at definition
 * time into an expression tree, evaluated against the state data and the context object.
 */
final class Intrinsics {
    private static final Set<String> HASHES = Set.of("MD5", "SHA-1", "SHA-256", "SHA-384", "SHA-512");
    private static final int MAX_ARRAY_RANGE = 1000;
    private static final int MAX_STRING = 10_000;

    private Intrinsics() {
    }

    static boolean looksLikeCall(String text) {
        return text.startsWith("States.");
    }

    /** An argument or a whole call. */
    sealed interface Expr permits Literal, PathRef, Call {
    }

    /** A literal; for strings {@code raw} keeps the escapes (States.Format reads its template from it). */
    record Literal(JsonNode value, String raw) implements Expr {
    }

    record PathRef(String path) implements Expr {
    }

    record Call(String name, List<Expr> args) implements Expr {
    }

    static Call parse(String text) {
        Parser p = new Parser(text);
        Expr e = p.expr();
        p.skipWs();
        if (p.pos != text.length() || !(e instanceof Call call)) {
            throw new IllegalArgumentException("invalid intrinsic function '" + text + "'");
        }
        return call;
    }

    private static final class Parser {
        final String s;
        int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        IllegalArgumentException fail(String what) {
            return new IllegalArgumentException("invalid intrinsic function '" + s + "': " + what + " at position " + pos);
        }

        Expr expr() {
            skipWs();
            if (pos >= s.length()) {
                throw fail("missing argument");
            }
            char c = s.charAt(pos);
            if (c == '\'') {
                return string();
            }
            if (c == '$') {
                return path();
            }
            if (s.startsWith("States.", pos)) {
                return call();
            }
            int start = pos;
            while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')') {
                pos++;
            }
            String tok = s.substring(start, pos).trim();
            switch (tok) {
                case "true":
                    return new Literal(BooleanNode.TRUE, tok);
                case "false":
                    return new Literal(BooleanNode.FALSE, tok);
                case "null":
                    return new Literal(NullNode.getInstance(), tok);
                default:
                    try {
                        BigDecimal d = new BigDecimal(tok);
                        JsonNode n = tok.contains(".") || tok.contains("e") || tok.contains("E")
                                ? AslJson.NODES.numberNode(d.doubleValue())
                                : AslJson.NODES.numberNode(d.toBigIntegerExact());
                        return new Literal(n, tok);
                    } catch (NumberFormatException | ArithmeticException e) {
                        throw fail("unexpected '" + tok + "'");
                    }
            }
        }

        Expr string() {
            pos++; // opening quote
            StringBuilder value = new StringBuilder();
            StringBuilder raw = new StringBuilder();
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (c == '\\' && pos + 1 < s.length()) {
                    char n = s.charAt(pos + 1);
                    if (n == '\'' || n == '\\') {
                        value.append(n);
                        raw.append(n == '\\' ? "\\\\" : "'");
                    } else if (n == '{' || n == '}') {
                        value.append(n);
                        raw.append(c).append(n);
                    } else {
                        value.append(c).append(n);
                        raw.append(c).append(n);
                    }
                    pos += 2;
                    continue;
                }
                if (c == '\'') {
                    pos++;
                    return new Literal(TextNode.valueOf(value.toString()), raw.toString());
                }
                value.append(c);
                raw.append(c);
                pos++;
            }
            throw fail("unterminated string literal");
        }

        Expr path() {
            int start = pos;
            int depth = 0;
            char quote = 0;
            while (pos < s.length()) {
                char c = s.charAt(pos);
                if (quote != 0) {
                    if (c == '\\') {
                        pos++;
                    } else if (c == quote) {
                        quote = 0;
                    }
                } else if (c == '\'' || c == '"') {
                    quote = c;
                } else if (c == '[' || c == '(') {
                    depth++;
                } else if (c == ']' || (c == ')' && depth > 0)) {
                    depth--;
                } else if (depth == 0 && (c == ',' || c == ')')) {
                    break;
                }
                pos++;
            }
            String path = s.substring(start, pos).trim();
            try {
                JsonPaths.validate(path);
            } catch (IllegalArgumentException e) {
                throw fail(e.getMessage());
            }
            return new PathRef(path);
        }

        Expr call() {
            int open = s.indexOf('(', pos);
            if (open < 0) {
                throw fail("missing '('");
            }
            String name = s.substring(pos, open).trim();
            if (!REGISTRY.containsKey(name)) {
                throw fail("unknown function '" + name + "'");
            }
            pos = open + 1;
            List<Expr> args = new ArrayList<>();
            skipWs();
            if (pos < s.length() && s.charAt(pos) == ')') {
                pos++;
                return new Call(name, args);
            }
            while (true) {
                args.add(expr());
                skipWs();
                if (pos >= s.length()) {
                    throw fail("missing ')'");
                }
                char c = s.charAt(pos++);
                if (c == ')') {
                    return new Call(name, args);
                }
                if (c != ',') {
                    throw fail("expected ',' or ')'");
                }
            }
        }
    }

    /** Evaluates a parsed call; {@code field} names the template field for error messages. */
    static JsonNode eval(Call call, JsonNode data, JsonNode context, String field) {
        List<JsonNode> args = new ArrayList<>();
        for (Expr a : call.args()) {
            args.add(evalArg(a, data, context, field));
        }
        try {
            return REGISTRY.get(call.name()).apply(args, call);
        } catch (ArithmeticException | IllegalArgumentException | IndexOutOfBoundsException e) {
            throw StatesFailure.runtime("The function '" + call.name() + "' failed: " + e.getMessage());
        }
    }

    private static JsonNode evalArg(Expr e, JsonNode data, JsonNode context, String field) {
        if (e instanceof Literal l) {
            return l.value();
        }
        if (e instanceof PathRef p) {
            try {
                return JsonPaths.read(p.path(), data, context);
            } catch (JsonPaths.Missing m) {
                throw StatesFailure.runtime("The JSONPath '" + p.path() + "' specified for the field '" + field
                        + "' could not be found in the input '" + AslJson.write(data) + "'");
            }
        }
        return eval((Call) e, data, context, field);
    }

    /** One intrinsic: its arguments already evaluated; {@code call} gives access to literal arguments. */
    @FunctionalInterface
    interface IntrinsicFunction {
        JsonNode apply(List<JsonNode> args, Call call);
    }

    /** Every intrinsic by name: adding one is one entry here. */
    static final Map<String, IntrinsicFunction> REGISTRY = registry();

    private static Map<String, IntrinsicFunction> registry() {
        Map<String, IntrinsicFunction> r = new LinkedHashMap<>();
        r.put("States.Format", (a, call) -> {
            arity(a, 1, Integer.MAX_VALUE);
            String template = call.args().get(0) instanceof Literal lit && a.get(0).isTextual()
                    ? lit.raw() : text(a.get(0));
            return TextNode.valueOf(format(template, a.subList(1, a.size())));
        });
        r.put("States.StringToJson", (a, call) -> {
            arity(a, 1, 1);
            String t = text(a.get(0));
            return t.isBlank() ? NullNode.getInstance() : AslJson.parse(t);
        });
        r.put("States.JsonToString", (a, call) -> {
            arity(a, 1, 1);
            return TextNode.valueOf(AslJson.write(a.get(0)));
        });
        r.put("States.Array", (a, call) -> {
            ArrayNode arr = AslJson.NODES.arrayNode();
            a.forEach(arr::add);
            return arr;
        });
        r.put("States.ArrayPartition", (a, call) -> {
            arity(a, 2, 2);
            return partition(array(a.get(0)), integer(a.get(1)));
        });
        r.put("States.ArrayContains", (a, call) -> {
            arity(a, 2, 2);
            for (JsonNode n : array(a.get(0))) {
                if (AslJson.valueEquals(n, a.get(1))) {
                    return BooleanNode.TRUE;
                }
            }
            return BooleanNode.FALSE;
        });
        r.put("States.ArrayRange", (a, call) -> {
            arity(a, 3, 3);
            return range(integer(a.get(0)), integer(a.get(1)), integer(a.get(2)));
        });
        r.put("States.ArrayGetItem", (a, call) -> {
            arity(a, 2, 2);
            ArrayNode arr = array(a.get(0));
            long idx = integer(a.get(1));
            if (idx < 0 || idx >= arr.size()) {
                throw new IndexOutOfBoundsException("the index " + idx + " is out of bounds (array length " + arr.size() + ")");
            }
            return arr.get((int) idx);
        });
        r.put("States.ArrayLength", (a, call) -> {
            arity(a, 1, 1);
            return AslJson.NODES.numberNode(array(a.get(0)).size());
        });
        r.put("States.ArrayUnique", (a, call) -> {
            arity(a, 1, 1);
            ArrayNode out = AslJson.NODES.arrayNode();
            for (JsonNode n : array(a.get(0))) {
                boolean seen = false;
                for (JsonNode o : out) {
                    if (AslJson.valueEquals(o, n)) {
                        seen = true;
                        break;
                    }
                }
                if (!seen) {
                    out.add(n);
                }
            }
            return out;
        });
        r.put("States.Base64Encode", (a, call) -> {
            arity(a, 1, 1);
            String t = limited(text(a.get(0)));
            return TextNode.valueOf(Base64.getEncoder().encodeToString(t.getBytes(StandardCharsets.UTF_8)));
        });
        r.put("States.Base64Decode", (a, call) -> {
            arity(a, 1, 1);
            String t = limited(text(a.get(0)));
            return TextNode.valueOf(new String(Base64.getDecoder().decode(t), StandardCharsets.UTF_8));
        });
        r.put("States.Hash", (a, call) -> {
            arity(a, 2, 2);
            String data = limited(a.get(0).isTextual() ? a.get(0).textValue() : AslJson.write(a.get(0)));
            return TextNode.valueOf(hash(data, text(a.get(1))));
        });
        r.put("States.JsonMerge", (a, call) -> {
            arity(a, 3, 3);
            if (!a.get(0).isObject() || !a.get(1).isObject()) {
                throw new IllegalArgumentException("both arguments to merge must be JSON objects");
            }
            if (!a.get(2).isBoolean()) {
                throw new IllegalArgumentException("the third argument must be a boolean");
            }
            if (a.get(2).booleanValue()) {
                throw new IllegalArgumentException("only shallow merge (false) is supported");
            }
            ObjectNode out = ((ObjectNode) a.get(0)).deepCopy();
            a.get(1).fields().forEachRemaining(e -> out.set(e.getKey(), e.getValue()));
            return out;
        });
        r.put("States.MathRandom", (a, call) -> {
            arity(a, 2, 3);
            long start = integer(a.get(0));
            long end = integer(a.get(1));
            if (end <= start) {
                throw new IllegalArgumentException("the end must be greater than the start");
            }
            Random rnd = a.size() == 3 ? new Random(integer(a.get(2))) : ThreadLocalRandom.current();
            return AslJson.NODES.numberNode(start + (long) (rnd.nextDouble() * (end - start)));
        });
        r.put("States.MathAdd", (a, call) -> {
            arity(a, 2, 2);
            return AslJson.NODES.numberNode(rounded(a.get(0)) + rounded(a.get(1)));
        });
        r.put("States.StringSplit", (a, call) -> {
            arity(a, 2, 2);
            StringTokenizer tok = new StringTokenizer(text(a.get(0)), text(a.get(1)));
            ArrayNode out = AslJson.NODES.arrayNode();
            while (tok.hasMoreTokens()) {
                out.add(tok.nextToken());
            }
            return out;
        });
        r.put("States.UUID", (a, call) -> {
            arity(a, 0, 0);
            return TextNode.valueOf(UUID.randomUUID().toString());
        });
        return Map.copyOf(r);
    }

    /** Chunks of {@code size} items (States.ArrayPartition, JSONata $partition). */
    static ArrayNode partition(ArrayNode src, long size) {
        if (size <= 0) {
            throw new IllegalArgumentException("the chunk size must be greater than 0, was " + size);
        }
        ArrayNode out = AslJson.NODES.arrayNode();
        ArrayNode chunk = null;
        for (JsonNode n : src) {
            if (chunk == null || chunk.size() == size) {
                chunk = out.addArray();
            }
            chunk.add(n);
        }
        return out;
    }

    /** start..end inclusive by step, at most 1000 items (States.ArrayRange, JSONata $range). */
    static ArrayNode range(long start, long end, long step) {
        if (step == 0) {
            throw new IllegalArgumentException("the step cannot be 0");
        }
        ArrayNode out = AslJson.NODES.arrayNode();
        for (long v = start; step > 0 ? v <= end : v >= end; v += step) {
            if (out.size() == MAX_ARRAY_RANGE) {
                throw new IllegalArgumentException("the result would have more than " + MAX_ARRAY_RANGE + " items");
            }
            out.add(v);
        }
        return out;
    }

    /** Hex digest with one of the algorithms AWS accepts (States.Hash, JSONata $hash). */
    static String hash(String data, String algo) {
        if (!HASHES.contains(algo)) {
            throw new IllegalArgumentException("unsupported hash algorithm '" + algo
                    + "' (MD5, SHA-1, SHA-256, SHA-384, SHA-512)");
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(algo).digest(data.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String format(String template, List<JsonNode> args) {
        StringBuilder out = new StringBuilder();
        int next = 0;
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c == '\\' && i + 1 < template.length()) {
                out.append(template.charAt(++i));
            } else if (c == '{' && i + 1 < template.length() && template.charAt(i + 1) == '}') {
                if (next >= args.size()) {
                    throw new IllegalArgumentException("the template has more placeholders than arguments");
                }
                out.append(AslJson.javaText(args.get(next++)));
                i++;
            } else {
                out.append(c);
            }
        }
        if (next != args.size()) {
            throw new IllegalArgumentException("the template has " + next + " placeholders but " + args.size() + " arguments were given");
        }
        return out.toString();
    }

    private static void arity(List<JsonNode> a, int min, int max) {
        if (a.size() < min || a.size() > max) {
            throw new IllegalArgumentException("wrong number of arguments (" + a.size() + ")");
        }
    }

    private static String text(JsonNode n) {
        if (!n.isTextual()) {
            throw new IllegalArgumentException("expected a string argument but got " + AslJson.write(n));
        }
        return n.textValue();
    }

    private static String limited(String t) {
        if (t.length() > MAX_STRING) {
            throw new IllegalArgumentException("the input is longer than " + MAX_STRING + " characters");
        }
        return t;
    }

    private static ArrayNode array(JsonNode n) {
        if (!n.isArray()) {
            throw new IllegalArgumentException("expected an array argument but got " + AslJson.write(n));
        }
        return (ArrayNode) n;
    }

    private static long integer(JsonNode n) {
        Long v = AslJson.exactLong(n);
        if (v == null) {
            throw new IllegalArgumentException("expected an integer argument but got " + AslJson.write(n));
        }
        return v;
    }

    private static long rounded(JsonNode n) {
        if (!n.isNumber()) {
            throw new IllegalArgumentException("expected a number argument but got " + AslJson.write(n));
        }
        return n.isIntegralNumber() ? n.longValue() : Math.round(n.doubleValue());
    }
}
