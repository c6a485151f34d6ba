package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The context object ({@code $$}, {@code $states.context}) of one state run. It also carries the
 * variables in scope, which JSONPath references such as {@code $name.field} read; as JSON it is
 * only the context object.
 */
final class ContextObject extends ObjectNode {
    private static final long serialVersionUID = 1L;

    private final transient Variables variables;

    ContextObject(Variables variables) {
        super(AslJson.NODES);
        this.variables = variables;
    }

    /** The variables in scope, or null where none can be referenced (the execution itself). */
    Variables variables() {
        return variables;
    }
}
