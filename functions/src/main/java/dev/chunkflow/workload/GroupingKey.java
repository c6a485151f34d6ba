package dev.chunkflow.workload;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tuple of fields that groups records. Every record of a key lands in exactly one chunk; keys are
 * hashed into partitions and planned in this key's order inside each, so the plan is the same for the
 * same data and settings.
 */
public record GroupingKey(List<KeyPart> parts, Optional<KeyEncoder> encoder) {
    public GroupingKey {
        parts = List.copyOf(parts);
        if (parts.isEmpty()) {
            throw new IllegalArgumentException("a grouping key needs at least one part");
        }
    }

    public static GroupingKey of(KeyPart... parts) {
        return new GroupingKey(List.of(parts), Optional.empty());
    }

    /** The same key with a packed-long fast path for planning. */
    public GroupingKey withEncoder(KeyEncoder e) {
        return new GroupingKey(parts, Optional.of(e));
    }

    /** Orders key values (one string per part) part by part, each by its {@link KeyType}. */
    public Comparator<String[]> comparator() {
        return (a, b) -> {
            for (int i = 0; i < parts.size(); i++) {
                int c = parts.get(i).type().compare(a[i], b[i]);
                if (c != 0) {
                    return c;
                }
            }
            return 0;
        };
    }
}
