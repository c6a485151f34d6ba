package dev.chunkflow.pipeline.process;

import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The four row counts every chunk, batch and run reports; {@code rows_in = rows_out + rows_rejected + duplicates_dropped}. */
public record RowCounts(@JsonProperty("rows_in") long rowsIn, @JsonProperty("rows_out") long rowsOut,
                        @JsonProperty("rows_rejected") long rowsRejected,
                        @JsonProperty("duplicates_dropped") long duplicatesDropped) {
    public static final RowCounts ZERO = new RowCounts(0, 0, 0, 0);

    public RowCounts plus(RowCounts o) {
        return new RowCounts(rowsIn + o.rowsIn, rowsOut + o.rowsOut, rowsRejected + o.rowsRejected,
                duplicatesDropped + o.duplicatesDropped);
    }

    public boolean conserved() {
        return rowsIn == rowsOut + rowsRejected + duplicatesDropped;
    }

    /** The counts by wire name, in wire order (job record counters and execution steps). */
    public Map<String, Long> asMap() {
        Map<String, Long> m = new LinkedHashMap<>();
        m.put("rows_in", rowsIn);
        m.put("rows_out", rowsOut);
        m.put("rows_rejected", rowsRejected);
        m.put("duplicates_dropped", duplicatesDropped);
        return m;
    }

    @Override
    public String toString() {
        return "rows_in " + rowsIn + " = rows_out " + rowsOut + " + rows_rejected " + rowsRejected
                + " + duplicates_dropped " + duplicatesDropped;
    }
}
