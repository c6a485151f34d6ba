package dev.chunkflow.local.iam;

import java.util.List;
import java.util.Map;

/**
 * One authorization question: may the principal perform {@code action} on {@code resource}, with the
 * request context's condition keys ({@code s3:prefix}, {@code aws:SecureTransport}, ...; each key may
 * carry several values, as multivalued keys do).
 */
public record IamRequest(String action, String resource, Map<String, List<String>> context) {
    public IamRequest {
        context = Map.copyOf(context);
    }

    public IamRequest(String action, String resource) {
        this(action, resource, Map.of());
    }

    /** The context values of a key; keys are case-insensitive as in IAM. Null when absent. */
    List<String> values(String key) {
        for (Map.Entry<String, List<String>> e : context.entrySet()) {
            if (e.getKey().equalsIgnoreCase(key)) {
                return e.getValue();
            }
        }
        return null;
    }
}
