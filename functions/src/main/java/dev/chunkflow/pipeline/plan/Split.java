package dev.chunkflow.pipeline.plan;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Inputs;

/**
 * One unit of the fan-out's first map: a whole source object, or the lines starting in bytes
 * {@code [start, end)} of a plain JSON Lines object. Carried as a Distributed Map item (a few hundred bytes).
 */
public record Split(int split, int sourceIndex, String key, String etag, long size, long start, long end) {

    public boolean whole() {
        return start == 0 && end == size;
    }

    Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("split", split);
        m.put("source_index", sourceIndex);
        m.put("key", key);
        m.put("etag", etag);
        m.put("size", size);
        m.put("start", start);
        m.put("end", end);
        return m;
    }

    /** A split item from a task input; {@link dev.chunkflow.common.InvalidInput} naming the field. */
    static Split parse(JsonNode in) {
        Inputs.requireObject(in, "split");
        long size = Inputs.integer(in.get("size"), "split.size", 0, Long.MAX_VALUE);
        long start = Inputs.integer(in.get("start"), "split.start", 0, size);
        long end = Inputs.integer(in.get("end"), "split.end", start, size);
        return new Split((int) Inputs.integer(in.get("split"), "split.split", 0, Integer.MAX_VALUE),
                (int) Inputs.integer(in.get("source_index"), "split.source_index", 0, Integer.MAX_VALUE),
                Inputs.requiredText(in, "key", "split.key"), Inputs.requiredText(in, "etag", "split.etag"), size, start, end);
    }
}
