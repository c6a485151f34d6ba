package dev.chunkflow.workload;

import java.io.IOException;
import java.io.OutputStream;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a chunk produced: one writer per declared part (JSON Lines, uncompressed: the machinery gzips
 * deterministically), the records that made it into the outputs, the duplicates dropped, and named
 * counters the summary sums over the run. Row conservation is checked by the machinery:
 * {@code rows_in = rows_out + rows_rejected + duplicates_dropped}.
 */
public record ChunkOutput(long rowsOut, long duplicatesDropped, Map<String, PartWriter> parts, Map<String, Long> counters) {

    /** Writes one part's JSON Lines; must write the same bytes for the same records (retries overwrite). */
    @FunctionalInterface
    public interface PartWriter {
        void write(OutputStream out) throws IOException;
    }

    public ChunkOutput {
        parts = new LinkedHashMap<>(parts);
        counters = new LinkedHashMap<>(counters);
    }
}
