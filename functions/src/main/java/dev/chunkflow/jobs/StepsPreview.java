package dev.chunkflow.jobs;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.chunkflow.common.Json;
import dev.chunkflow.offload.AttributeValues;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The small stand-in an item keeps when its steps are offloaded: the first {@value #STEPS} steps, each
 * with at most {@value #FIELDS} fields, every value that is not a number/boolean/null cut to a
 * {@value #TEXT}-character string (nested values and {@code output} as their JSON text). Bounded at a
 * few KB whatever the steps hold.
 */
final class StepsPreview {
    static final int STEPS = 5;
    static final int FIELDS = 16;
    static final int TEXT = 200;
    static final int NAME = 64;

    private StepsPreview() {
    }

    static AttributeValue of(List<AttributeValue> steps) {
        List<AttributeValue> out = new ArrayList<>();
        for (AttributeValue step : steps.subList(0, Math.min(STEPS, steps.size()))) {
            out.add(step(step));
        }
        return AttributeValue.fromL(out);
    }

    private static AttributeValue step(AttributeValue step) {
        if (step.type() != AttributeValue.Type.M) {
            return AttributeValue.fromS(cut(Json.string(AttributeValues.toObject(step))));
        }
        Map<String, AttributeValue> small = new TreeMap<>();
        for (Map.Entry<String, AttributeValue> e : new TreeMap<>(step.m()).entrySet()) {
            if (small.size() == FIELDS) {
                break;
            }
            String name = e.getKey().length() > NAME ? e.getKey().substring(0, NAME) : e.getKey();
            small.put(name, value(e.getValue()));
        }
        return AttributeValue.fromM(small);
    }

    private static AttributeValue value(AttributeValue v) {
        return switch (v.type()) {
            case N, BOOL, NUL -> v;
            case S -> AttributeValue.fromS(cut(v.s()));
            default -> AttributeValue.fromS(cut(Json.string(AttributeValues.toObject(v))));
        };
    }

    private static String cut(String s) {
        if (s.length() <= TEXT) {
            return s;
        }
        int end = TEXT;
        if (Character.isHighSurrogate(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(0, end) + "...";
    }
}
