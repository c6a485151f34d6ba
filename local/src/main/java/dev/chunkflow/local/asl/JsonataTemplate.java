package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A JSONata field value (Arguments, Output, Assign, Items, ItemSelector, Condition...): any JSON
 * value whose strings of the form {@code {% ... %}}, at any depth, are JSONata expressions; the rest
 * is literal. Compiled once at definition time so syntax errors name the state and field.
 */
final class JsonataTemplate {
    private sealed interface Node permits Const, Expr, Obj, Arr {
    }

    private record Const(JsonNode value) implements Node {
    }

    private record Expr(JsonataExpression expression, String field) implements Node {
    }

    private record Obj(Map<String, Node> fields) implements Node {
    }

    private record Arr(List<Node> items) implements Node {
    }

    private final Node root;
    private final String field;

    private JsonataTemplate(Node root, String field) {
        this.root = root;
        this.field = field;
    }

    /**
     * @param field the field name errors report ("Output"); nested values add "/key" or "/index"
     * @throws IllegalArgumentException when an expression does not parse
     */
    static JsonataTemplate compile(JsonNode value, String field) {
        return new JsonataTemplate(compileNode(value, field), field);
    }

    private static Node compileNode(JsonNode n, String field) {
        if (n.isTextual() && JsonataExpression.isExpression(n.textValue())) {
            return new Expr(JsonataExpression.compile(n.textValue()), field);
        }
        if (n.isObject()) {
            Map<String, Node> fields = new LinkedHashMap<>();
            n.fields().forEachRemaining(e -> fields.put(e.getKey(), compileNode(e.getValue(), field + "/" + e.getKey())));
            return new Obj(fields);
        }
        if (n.isArray()) {
            List<Node> items = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
                items.add(compileNode(n.get(i), field + "/" + i));
            }
            return new Arr(items);
        }
        return new Const(n);
    }

    /** Whether any expression reads {@code $states.<member>} (result, errorOutput). */
    boolean readsStates(String member) {
        Pattern p = Pattern.compile("\\$states\\s*\\.\\s*" + member + "(?![\\p{L}\\p{N}_])");
        return reads(root, p);
    }

    private static boolean reads(Node node, Pattern p) {
        if (node instanceof Expr e) {
            return p.matcher(e.expression().text).find();
        }
        if (node instanceof Obj o) {
            return o.fields().values().stream().anyMatch(n -> reads(n, p));
        }
        if (node instanceof Arr a) {
            return a.items().stream().anyMatch(n -> reads(n, p));
        }
        return false;
    }

    /**
     * The value with every expression evaluated.
     *
     * @throws StatesFailure States.QueryEvaluationError when an expression fails or returns nothing
     */
    JsonNode apply(Map<String, Object> bindings) {
        return eval(root, bindings);
    }

    /**
     * The value, which must be of {@code expected} type ("array", "boolean", "number", "string").
     *
     * @throws StatesFailure States.QueryEvaluationError naming the type found, as AWS does
     */
    JsonNode apply(Map<String, Object> bindings, String expected) {
        JsonNode v = eval(root, bindings);
        String type = JsonataValues.typeName(v);
        if (type.equals(expected)) {
            return v;
        }
        String what = "returned an unexpected result type. Expected '" + expected + "', but was '" + type
                + "' for value: " + AslJson.write(v);
        if (root instanceof Expr e) {
            throw e.expression().error(field, what);
        }
        throw StatesFailure.queryEvaluation("The value specified for the field '" + field + "' " + what);
    }

    private static JsonNode eval(Node node, Map<String, Object> bindings) {
        if (node instanceof Const c) {
            return c.value();
        }
        if (node instanceof Expr e) {
            JsonNode v = e.expression().evaluate(bindings, e.field());
            if (v == null) {
                throw e.expression().error(e.field(), "returned nothing (undefined).");
            }
            return v;
        }
        if (node instanceof Obj o) {
            ObjectNode out = AslJson.NODES.objectNode();
            o.fields().forEach((k, v) -> out.set(k, eval(v, bindings)));
            return out;
        }
        ArrayNode out = AslJson.NODES.arrayNode();
        ((Arr) node).items().forEach(i -> out.add(eval(i, bindings)));
        return out;
    }
}
