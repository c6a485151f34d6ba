package dev.chunkflow.workload;

import java.util.Map;

/** A run's totals, merged by the machinery over every chunk's result. */
public record RunTotals(long rowsIn, long rowsOut, long rowsRejected, long duplicatesDropped, long keys,
                        Map<String, Long> counters, Map<String, Long> rejectReasons) {
}
