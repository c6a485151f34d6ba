package dev.chunkflow.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;

/**
 * The UpdateItem requests of the job store. Every name and value goes through a placeholder, so any
 * attribute name (reserved words included) is safe.
 */
final class UpdateExpression {
    private final Map<String, String> names = new HashMap<>();
    private final Map<String, AttributeValue> values = new HashMap<>();
    private final Map<String, String> byName = new HashMap<>();

    private UpdateExpression() {
    }

    /**
     * The draft's SET / ADD / REMOVE, conditional on the item read: absent, at the version read, or (an
     * item from before versions existed) present without a version.
     */
    static UpdateItemRequest versioned(String table, Map<String, AttributeValue> key, JobItem before, WriteDraft d) {
        UpdateExpression x = new UpdateExpression();
        List<String> clauses = new ArrayList<>();
        if (!d.set.isEmpty()) {
            List<String> sets = new ArrayList<>();
            d.set.forEach((n, v) -> sets.add(x.name(n) + " = " + x.value(v)));
            clauses.add("SET " + String.join(", ", sets));
        }
        if (!d.add.isEmpty()) {
            clauses.add("ADD " + x.adds(d.add));
        }
        if (!d.remove.isEmpty()) {
            List<String> removes = new ArrayList<>();
            d.remove.forEach(n -> removes.add(x.name(n)));
            clauses.add("REMOVE " + String.join(", ", removes));
        }
        String condition;
        if (before.attributes().isEmpty()) {
            condition = "attribute_not_exists(" + x.name(JobItem.JOB_ID) + ")";
        } else if (before.attributes().containsKey(JobItem.VERSION)) {
            condition = x.name(JobItem.VERSION) + " = " + x.value(before.attributes().get(JobItem.VERSION));
        } else {
            condition = "attribute_exists(" + x.name(JobItem.JOB_ID) + ") AND attribute_not_exists(" + x.name(JobItem.VERSION) + ")";
        }
        return x.request(table, key, String.join(" ", clauses)).conditionExpression(condition).build();
    }

    /**
     * Atomic ADD of counters, unconditional. An item a counter creates (workers racing the creator) still
     * gets the record's basic shape.
     */
    static UpdateItemRequest addCounters(String table, Map<String, AttributeValue> key, Map<String, Long> counters, String now) {
        UpdateExpression x = new UpdateExpression();
        AttributeValue at = AttributeValue.fromS(now);
        String set = x.name(JobItem.UPDATED_AT) + " = " + x.value(at)
                + ", " + x.ifNotExists(JobItem.CREATED_AT, at)
                + ", " + x.ifNotExists(JobItem.STATUS, AttributeValue.fromS(JobStatus.QUEUED.name()))
                + ", " + x.ifNotExists(JobItem.VERSION, AttributeValue.fromN("1"));
        return x.request(table, key, "ADD " + x.adds(counters) + " SET " + set).build();
    }

    private UpdateItemRequest.Builder request(String table, Map<String, AttributeValue> key, String expression) {
        return UpdateItemRequest.builder().tableName(table).key(key).updateExpression(expression)
                .expressionAttributeNames(names).expressionAttributeValues(values);
    }

    private String adds(Map<String, Long> deltas) {
        List<String> adds = new ArrayList<>();
        deltas.forEach((n, delta) -> adds.add(name(n) + " " + value(AttributeValue.fromN(Long.toString(delta)))));
        return String.join(", ", adds);
    }

    private String ifNotExists(String attribute, AttributeValue v) {
        return name(attribute) + " = if_not_exists(" + name(attribute) + ", " + value(v) + ")";
    }

    private String name(String attribute) {
        return byName.computeIfAbsent(attribute, a -> {
            String p = "#n" + byName.size();
            names.put(p, a);
            return p;
        });
    }

    private String value(AttributeValue v) {
        String p = ":v" + values.size();
        values.put(p, v);
        return p;
    }
}
