package dev.chunkflow.jobs;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.S3Reference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * A validated {@link JobUpdate}, converted to attribute values once (before any retry). Bad input is an
 * {@link InvalidInput} naming the field.
 */
final class JobChange {
    /** Attribute, field and counter names: they also go into S3 keys. */
    static final String NAME_RULE = "[A-Za-z][A-Za-z0-9_]{0,63}";
    private static final Pattern NAME = Pattern.compile(NAME_RULE);

    final String status;
    final List<AttributeValue> setSteps;
    final List<AttributeValue> appendSteps;
    final Map<String, Long> counters;
    final AttributeValue error;
    final Map<String, AttributeValue> fields;
    /** The update's id ({@link JobUpdate#updateId}, else a random one): the write records it as the last applied. */
    final String updateId;

    private JobChange(String status, List<AttributeValue> setSteps, List<AttributeValue> appendSteps,
                      Map<String, Long> counters, AttributeValue error, Map<String, AttributeValue> fields, String updateId) {
        this.status = status;
        this.setSteps = setSteps;
        this.appendSteps = appendSteps;
        this.counters = counters;
        this.error = error;
        this.fields = fields;
        this.updateId = updateId;
    }

    static JobChange of(JobUpdate u) {
        String status = u.status() == null ? null : JobStatus.parse("status", u.status()).name();
        List<AttributeValue> setSteps = steps(u.setSteps(), "set_steps");
        List<AttributeValue> appendSteps = steps(u.appendSteps(), "append_steps");
        Map<String, Long> counters = counters(u.counters(), "counters");
        AttributeValue error = u.error() == null ? null : AttributeValues.toAttribute(u.error(), "error");
        Map<String, AttributeValue> fields = new LinkedHashMap<>();
        if (u.fields() != null) {
            u.fields().forEach((name, value) -> {
                String path = "fields." + name;
                checkName(name, path);
                if (JobItem.SYSTEM.contains(name) || name.equals(JobItem.ERROR)) {
                    throw new InvalidInput(path, "is managed by the job store; use its own parameter");
                }
                if (counters.containsKey(name)) {
                    throw new InvalidInput(path, "is also a counter in this update");
                }
                if (S3Reference.looksLikeReference(value)) {
                    throw new InvalidInput(path, "s3_reference maps are written by the job store only");
                }
                fields.put(name, AttributeValues.toAttribute(value, path));
            });
        }
        return new JobChange(status, setSteps, appendSteps, counters, error, fields,
                u.updateId() != null ? u.updateId() : java.util.UUID.randomUUID().toString());
    }

    static Map<String, Long> counters(Map<String, Long> deltas, String field) {
        if (deltas == null) {
            return Map.of();
        }
        Map<String, Long> out = new LinkedHashMap<>();
        deltas.forEach((name, delta) -> {
            String path = field + "." + name;
            checkName(name, path);
            if (JobItem.SYSTEM.contains(name) || name.equals(JobItem.ERROR)) {
                throw new InvalidInput(path, "is not a counter");
            }
            if (delta == null) {
                throw new InvalidInput(path, "must be an integer");
            }
            out.put(name, delta);
        });
        return out;
    }

    /** Whether {@code name} may be an attribute the offload rule moves (it becomes part of an S3 key). */
    static boolean isValidName(String name) {
        return name != null && NAME.matcher(name).matches();
    }

    private static List<AttributeValue> steps(List<Map<String, Object>> steps, String field) {
        if (steps == null) {
            return null;
        }
        List<AttributeValue> out = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i) == null) {
                throw new InvalidInput(field + "[" + i + "]", "must be an object");
            }
            out.add(AttributeValues.toAttribute(steps.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    private static void checkName(String name, String path) {
        if (!isValidName(name)) {
            throw new InvalidInput(path, "name must match " + NAME_RULE);
        }
    }
}
