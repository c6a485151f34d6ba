package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A payload template (Parameters, ItemSelector, ResultSelector, BatchInput...): fields whose name
 * ends in {@code .$} take the value of a path or an intrinsic function, at any depth; the rest are
 * copied. Compiled once at definition time so syntax errors name the state and field.
 */
final class PayloadTemplate {
    private sealed interface Node permits Const, Obj, Arr, PathValue, CallValue {
    }

    private record Const(JsonNode value) implements Node {
    }

    private record Obj(Map<String, Node> fields) implements Node {
    }

    private record Arr(List<Node> items) implements Node {
    }

    private record PathValue(String field, String path) implements Node {
    }

    private record CallValue(String field, Intrinsics.Call call) implements Node {
    }

    private final Node root;

    private PayloadTemplate(Node root) {
        this.root = root;
    }

    /** @throws IllegalArgumentException naming the offending field */
    static PayloadTemplate compile(JsonNode template) {
        return new PayloadTemplate(compileNode(template));
    }

    private static Node compileNode(JsonNode n) {
        if (n.isObject()) {
            Map<String, Node> fields = new LinkedHashMap<>();
            var it = n.fields();
            while (it.hasNext()) {
                var e = it.next();
                String key = e.getKey();
                if (key.endsWith(".$")) {
                    String name = key.substring(0, key.length() - 2);
                    JsonNode v = e.getValue();
                    if (!v.isTextual()) {
                        throw new IllegalArgumentException("field '" + key + "' must be a string holding a path or an intrinsic function");
                    }
                    String expr = v.textValue();
                    try {
                        if (Intrinsics.looksLikeCall(expr)) {
                            fields.put(name, new CallValue(key, Intrinsics.parse(expr)));
                        } else {
                            JsonPaths.validate(expr);
                            fields.put(name, new PathValue(key, expr));
                        }
                    } catch (IllegalArgumentException ex) {
                        throw new IllegalArgumentException("field '" + key + "': " + ex.getMessage());
                    }
                } else {
                    fields.put(key, compileNode(e.getValue()));
                }
            }
            return new Obj(fields);
        }
        if (n.isArray()) {
            List<Node> items = new ArrayList<>();
            n.forEach(i -> items.add(compileNode(i)));
            return new Arr(items);
        }
        return new Const(n);
    }

    JsonNode apply(JsonNode data, JsonNode context) {
        return eval(root, data, context);
    }

    private static JsonNode eval(Node node, JsonNode data, JsonNode context) {
        if (node instanceof Const c) {
            return c.value();
        }
        if (node instanceof Obj o) {
            ObjectNode out = AslJson.NODES.objectNode();
            o.fields().forEach((k, v) -> out.set(k, eval(v, data, context)));
            return out;
        }
        if (node instanceof Arr a) {
            ArrayNode out = AslJson.NODES.arrayNode();
            a.items().forEach(i -> out.add(eval(i, data, context)));
            return out;
        }
        if (node instanceof PathValue p) {
            try {
                return JsonPaths.read(p.path(), data, context);
            } catch (JsonPaths.Missing e) {
                throw StatesFailure.runtime("The JSONPath '" + p.path() + "' specified for the field '" + p.field()
                        + "' could not be found in the input '" + AslJson.write(data) + "'");
            }
        }
        CallValue c = (CallValue) node;
        return Intrinsics.eval(c.call(), data, context, c.field());
    }
}
