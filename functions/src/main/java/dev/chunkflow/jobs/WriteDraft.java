package dev.chunkflow.jobs;

import java.math.BigDecimal;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * One planned write: the item as it was read, the item it will leave behind, and the SET / ADD / REMOVE
 * that produce it (a name is in one of them at most).
 */
final class WriteDraft {
    final Map<String, AttributeValue> current;
    final Map<String, AttributeValue> item;
    final Map<String, AttributeValue> set = new LinkedHashMap<>();
    final Map<String, Long> add = new LinkedHashMap<>();
    final Set<String> remove = new LinkedHashSet<>();

    WriteDraft(Map<String, AttributeValue> current) {
        this.current = current;
        this.item = new HashMap<>(current);
    }

    void set(String name, AttributeValue v) {
        item.put(name, v);
        set.put(name, v);
        remove.remove(name);
    }

    void remove(String name) {
        item.remove(name);
        set.remove(name);
        if (current.containsKey(name)) {
            remove.add(name);
        }
    }

    /** ADD: the item's value is computed from the value read (concurrent ADDs only change digits). */
    void add(String name, long delta) {
        AttributeValue v = current.get(name);
        long base = v != null && v.n() != null ? new BigDecimal(v.n()).longValue() : 0;
        item.put(name, AttributeValue.fromN(Long.toString(base + delta)));
        add.put(name, delta);
    }

    String string(String name) {
        AttributeValue v = item.get(name);
        return v == null ? null : v.s();
    }
}
