package dev.chunkflow.jobs;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.offload.JsonValues;

/**
 * The UpdateJob task input, validated field by field:
 * {@code {"job_id", "status"?, "append_steps"?, "set_steps"?, "counters"?, "error"?: {error, cause}, "fields"?}}.
 * JSON {@code null} means "not given". {@code error} also takes Step Functions' own {@code {Error, Cause}}.
 */
final class UpdateJobRequest {
    private static final Set<String> KNOWN = Set.of("job_id", "status", "append_steps", "set_steps", "counters", "error", "fields");

    private UpdateJobRequest() {
    }

    static JobUpdate parse(JsonNode in) {
        if (!in.isObject()) {
            throw new InvalidInput("$", "input must be a JSON object");
        }
        for (Iterator<String> it = in.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            if (!KNOWN.contains(name)) {
                throw new InvalidInput(name, "unknown field; expected one of " + KNOWN);
            }
        }
        JsonNode id = in.get("job_id");
        if (id == null || id.isNull()) {
            throw new InvalidInput("job_id", "is required");
        }
        if (!id.isTextual()) {
            throw new InvalidInput("job_id", "must be a string");
        }
        JobUpdate.Builder b = JobUpdate.builder(JobId.require(id.asText()));
        JsonNode status = present(in, "status");
        if (status != null) {
            if (!status.isTextual()) {
                throw new InvalidInput("status", "must be a string");
            }
            b.status(JobStatus.parse("status", status.asText()).name());
        }
        b.appendSteps(steps(in, "append_steps"));
        b.setSteps(steps(in, "set_steps"));
        JsonNode counters = present(in, "counters");
        if (counters != null) {
            b.counters(counters(counters));
        }
        JsonNode error = present(in, "error");
        if (error != null) {
            b.error(error(error));
        }
        JsonNode fields = present(in, "fields");
        if (fields != null) {
            b.fields(object(fields, "fields"));
        }
        return b.build();
    }

    private static JsonNode present(JsonNode in, String name) {
        JsonNode n = in.get(name);
        return n == null || n.isNull() ? null : n;
    }

    private static List<Map<String, Object>> steps(JsonNode in, String name) {
        JsonNode steps = present(in, name);
        if (steps == null) {
            return null;
        }
        if (!steps.isArray()) {
            throw new InvalidInput(name, "must be an array of step objects");
        }
        List<Map<String, Object>> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            out.add(object(steps.get(i), name + "[" + i + "]"));
        }
        return out;
    }

    private static Map<String, Long> counters(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInput("counters", "must be an object of integer deltas");
        }
        Map<String, Long> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (!v.isIntegralNumber() || !v.canConvertToLong()) {
                throw new InvalidInput("counters." + e.getKey(), "must be an integer");
            }
            out.put(e.getKey(), v.longValue());
        });
        return out;
    }

    private static Map<String, Object> error(JsonNode node) {
        if (!node.isObject()) {
            throw new InvalidInput("error", "must be an object {error, cause}");
        }
        Map<String, Object> out = new LinkedHashMap<>();
        node.fields().forEachRemaining(e -> {
            String key = switch (e.getKey()) {
                case "error", "Error" -> "error";
                case "cause", "Cause" -> "cause";
                default -> throw new InvalidInput("error." + e.getKey(), "unknown field; expected error and cause");
            };
            if (!e.getValue().isNull() && !e.getValue().isTextual()) {
                throw new InvalidInput("error." + key, "must be a string");
            }
            out.put(key, e.getValue().isNull() ? null : e.getValue().asText());
        });
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(JsonNode node, String field) {
        if (node == null || !node.isObject()) {
            throw new InvalidInput(field, "must be an object");
        }
        return (Map<String, Object>) JsonValues.toObject(node);
    }
}
