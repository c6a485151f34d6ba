package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.jayway.jsonpath.Configuration;
import com.jayway.jsonpath.InvalidPathException;
import com.jayway.jsonpath.JsonPath;
import com.jayway.jsonpath.PathNotFoundException;
import com.jayway.jsonpath.spi.json.JacksonJsonNodeJsonProvider;
import com.jayway.jsonpath.spi.mapper.JacksonMappingProvider;

/**
 * JSONPath as Step Functions evaluates it (Jayway JsonPath, whose messages AWS reports verbatim):
 * a definite path that matches nothing fails, an indefinite one ({@code [*]}, slices, filters)
 * yields an empty list. {@code $$} paths read the context object.
 */
final class JsonPaths {
    private static final Configuration CONF = Configuration.builder()
            .jsonProvider(new JacksonJsonNodeJsonProvider(AslJson.MAPPER))
            .mappingProvider(new JacksonMappingProvider(AslJson.MAPPER))
            .options(EnumSet.noneOf(com.jayway.jsonpath.Option.class))
            .build();
    private static final Map<String, JsonPath> CACHE = new ConcurrentHashMap<>();

    /** A definite path matched nothing; the message is Jayway's (e.g. "No results for path: $['x']"). */
    static final class Missing extends Exception {
        Missing(String message) {
            super(message, null, false, false);
        }
    }

    private JsonPaths() {
    }

    static boolean isContextPath(String path) {
        return path.startsWith("$$");
    }

    /** Length of the variable name of a variable reference ({@code $name}, {@code $name.a[0]}), or 0. */
    static int variableNameLength(String path) {
        if (path.length() < 2 || path.charAt(0) != '$' || !Character.isUnicodeIdentifierStart(path.charAt(1))) {
            return 0;
        }
        int i = 2;
        while (i < path.length() && Character.isUnicodeIdentifierPart(path.charAt(i))) {
            i++;
        }
        return i - 1;
    }

    /** Checks syntax at definition time. */
    static void validate(String path) {
        if (path == null || !path.startsWith("$")) {
            throw new IllegalArgumentException("a path must start with '$'");
        }
        int var = variableNameLength(path);
        if (var > 0) {
            compile("$" + path.substring(var + 1));
            return;
        }
        compile(isContextPath(path) ? path.substring(1) : path);
    }

    private static JsonPath compile(String path) {
        return CACHE.computeIfAbsent(path, p -> {
            try {
                return JsonPath.compile(literalBackslashes(p));
            } catch (InvalidPathException e) {
                throw new IllegalArgumentException("invalid JSONPath '" + p + "': " + e.getMessage());
            }
        });
    }

    /**
     * Inside a quoted bracket name ({@code $['a\\"b']}) AWS reads a backslash literally unless it escapes
     * the enclosing quote; Jayway would drop it, so it is doubled here.
     */
    static String literalBackslashes(String path) {
        StringBuilder out = new StringBuilder(path.length());
        char quote = 0;
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (quote == 0) {
                if ((c == '\'' || c == '"') && i > 0 && path.charAt(i - 1) == '[') {
                    quote = c;
                }
                out.append(c);
                continue;
            }
            if (c == '\\' && i + 1 < path.length()) {
                char n = path.charAt(i + 1);
                if (n == quote || n == '\\') {
                    out.append(c).append(n);
                    i++;
                } else {
                    out.append("\\\\");
                }
                continue;
            }
            if (c == quote) {
                quote = 0;
            }
            out.append(c);
        }
        return out.toString();
    }

    /**
     * Reads {@code path} from the data, from the context object for {@code $$...}, or from a variable
     * for {@code $name...} (the variables in scope travel with the {@link ContextObject}).
     */
    static JsonNode read(String path, JsonNode data, JsonNode context) throws Missing {
        if (isContextPath(path)) {
            return read(path.substring(1), context);
        }
        int var = variableNameLength(path);
        if (var > 0) {
            String name = path.substring(1, var + 1);
            Variables vars = context instanceof ContextObject c ? c.variables() : null;
            Variables.Value v = vars == null ? null : vars.get(name);
            if (v == null) {
                throw new Missing("The variable '$" + name + "' is not defined");
            }
            return read("$" + path.substring(var + 1), v.json());
        }
        return read(path, data);
    }

    static JsonNode read(String path, JsonNode doc) throws Missing {
        if ("$".equals(path)) {
            return doc;
        }
        JsonPath p = compile(path);
        try {
            Object r = p.read(doc, CONF);
            return r == null ? NullNode.getInstance() : (JsonNode) r;
        } catch (PathNotFoundException e) {
            if (!p.isDefinite()) {
                return AslJson.NODES.arrayNode();
            }
            throw new Missing(e.getMessage());
        }
    }

    /** Reads a path that must match: else States.Runtime "Invalid path 'p' : msg" (InputPath, OutputPath, ...). */
    static JsonNode require(String path, JsonNode data, JsonNode context) {
        try {
            return read(path, data, context);
        } catch (Missing e) {
            throw StatesFailure.runtime("Invalid path '" + path + "' : " + e.getMessage());
        }
    }

    /** Segments of a reference path ($.a.b, $['a'][0]) used by ResultPath. */
    static List<Object> referenceSegments(String path) {
        if (!path.startsWith("$")) {
            throw new IllegalArgumentException("a reference path must start with '$'");
        }
        List<Object> segs = new ArrayList<>();
        int i = 1;
        while (i < path.length()) {
            char c = path.charAt(i);
            if (c == '.') {
                int j = i + 1;
                while (j < path.length() && path.charAt(j) != '.' && path.charAt(j) != '[') {
                    j++;
                }
                String name = path.substring(i + 1, j);
                if (name.isEmpty() || name.equals("*")) {
                    throw new IllegalArgumentException("'" + path + "' is not a reference path");
                }
                segs.add(name);
                i = j;
            } else if (c == '[') {
                int close = path.indexOf(']', i);
                if (close < 0) {
                    throw new IllegalArgumentException("unclosed '[' in '" + path + "'");
                }
                String inner = path.substring(i + 1, close).trim();
                if ((inner.startsWith("'") && inner.endsWith("'") || inner.startsWith("\"") && inner.endsWith("\"")) && inner.length() >= 2) {
                    segs.add(inner.substring(1, inner.length() - 1));
                } else {
                    try {
                        segs.add(Integer.parseInt(inner));
                    } catch (NumberFormatException e) {
                        throw new IllegalArgumentException("'" + path + "' is not a reference path");
                    }
                }
                i = close + 1;
            } else {
                throw new IllegalArgumentException("'" + path + "' is not a reference path");
            }
        }
        return segs;
    }

    /** A copy of {@code target} with {@code value} placed at the reference path (missing objects created). */
    static JsonNode set(String path, JsonNode target, JsonNode value) {
        List<Object> segs = referenceSegments(path);
        if (segs.isEmpty()) {
            return value;
        }
        JsonNode root = target.deepCopy();
        JsonNode cur = root;
        for (int k = 0; k < segs.size(); k++) {
            Object seg = segs.get(k);
            boolean last = k == segs.size() - 1;
            if (seg instanceof String name) {
                if (!(cur instanceof ObjectNode obj)) {
                    throw StatesFailure.runtime("Unable to apply ResultPath '" + path
                            + "' to the state input: it is not a JSON object at '" + name + "'");
                }
                if (last) {
                    obj.set(name, value);
                } else {
                    JsonNode next = obj.get(name);
                    if (next == null || !next.isContainerNode()) {
                        next = obj.putObject(name);
                    }
                    cur = next;
                }
            } else {
                int idx = (Integer) seg;
                if (!(cur instanceof ArrayNode arr) || idx < 0 || idx >= arr.size()) {
                    throw StatesFailure.runtime("Unable to apply ResultPath '" + path
                            + "' to the state input: index [" + idx + "] does not exist");
                }
                if (last) {
                    arr.set(idx, value);
                } else {
                    cur = arr.get(idx);
                }
            }
        }
        return root;
    }
}
