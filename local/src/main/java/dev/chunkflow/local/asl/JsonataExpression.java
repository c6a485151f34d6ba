package dev.chunkflow.local.asl;

import java.util.Map;

import com.dashjoin.jsonata.JException;
import com.dashjoin.jsonata.Jsonata;
import com.dashjoin.jsonata.Jsonata.Frame;
import com.dashjoin.jsonata.Jsonata.JFunction;
import com.dashjoin.jsonata.Timebox;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One {@code {% ... %}} expression, compiled once at definition time by dashjoin JSONata (a port of
 * the reference implementation) and evaluated with {@code $states}, the variables in scope and the
 * functions Step Functions adds.
 */
final class JsonataExpression {
    /**
     * A local safeguard, not an AWS limit: an expression that loops (tail recursion runs forever) or
     * recurses without end fails with States.QueryEvaluationError instead of hanging the engine.
     */
    static final long EVALUATION_TIMEOUT_MILLIS = 10_000;
    static final int MAX_EVALUATION_DEPTH = 1_000;

    /** Name under which the evaluation hands its raw result back (before JSONata folds null into undefined). */
    private static final String RESULT = "__chunkflowResult";

    /** The expression as written between {@code {%} and {@code %}}, trimmed (AWS quotes it so). */
    final String text;
    private final Jsonata compiled;

    private JsonataExpression(String text, Jsonata compiled) {
        this.text = text;
        this.compiled = compiled;
    }

    /** Whether a JSON string value is a JSONata expression: it starts with {@code {%} and ends with {@code %}}. */
    static boolean isExpression(String value) {
        return value.length() >= 4 && value.startsWith("{%") && value.endsWith("%}");
    }

    /** @throws IllegalArgumentException with JSONata's message when the expression does not parse */
    static JsonataExpression compile(String value) {
        String text = value.substring(2, value.length() - 2).trim();
        if (text.isEmpty()) {
            throw new IllegalArgumentException("the JSONata expression '" + value + "' is empty");
        }
        try {
            // The wrapper call receives the value itself: Jsonata.evaluate turns a top-level JSON null into
            // Java null, which is also how it says undefined, and AWS tells the two apart.
            return new JsonataExpression(text, Jsonata.jsonata("$" + RESULT + "((\n" + text + "\n))"));
        } catch (JException e) {
            throw new IllegalArgumentException("the JSONata expression '" + text + "' is not valid: " + e.getMessage());
        }
    }

    /**
     * The value, or null when the expression returned nothing (undefined).
     *
     * @param bindings variables by name ({@code states} and the workflow variables), as plain Java values
     * @param field    the field being evaluated, for the error ("Output/result")
     * @throws StatesFailure States.QueryEvaluationError when evaluation fails or the result is not JSON
     */
    JsonNode evaluate(Map<String, Object> bindings, String field) {
        Frame frame = compiled.createFrame();
        new Timebox(frame, EVALUATION_TIMEOUT_MILLIS, MAX_EVALUATION_DEPTH);
        JsonataFunctions.REGISTRY.forEach(frame::bind);
        bindings.forEach(frame::bind);
        Object[] result = new Object[1];
        frame.bind(RESULT, new JFunction((input, args) -> {
            result[0] = args.isEmpty() ? null : args.get(0);
            return Boolean.TRUE;
        }, null));
        try {
            compiled.evaluate(null, frame);
        } catch (JException | JsonataFunctions.FunctionError e) {
            throw error(field, "threw an error during evaluation. " + e.getMessage());
        } catch (RuntimeException e) {
            throw error(field, "threw an error during evaluation. " + e);
        } catch (StackOverflowError e) {
            throw error(field, "threw an error during evaluation. Stack overflow: the expression recurses too deeply.");
        }
        try {
            return JsonataValues.toJson(result[0]);
        } catch (JsonataValues.Unsupported e) {
            throw error(field, "returned an unsupported result type.");
        }
    }

    /** States.QueryEvaluationError for this expression and field, as AWS words it. */
    StatesFailure error(String field, String what) {
        return StatesFailure.queryEvaluation("The JSONata expression '" + text + "' specified for the field '" + field + "' " + what);
    }
}
