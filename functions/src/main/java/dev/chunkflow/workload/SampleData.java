package dev.chunkflow.workload;

import java.io.OutputStream;
import java.util.function.Function;

/** Writes a reproducible sample data set for a workload (same rows and seed, same bytes). */
public interface SampleData {

    /**
     * @param open opens a new source object by file name (e.g. {@code events-00000.jsonl}); the writer closes it
     * @return the number of records written
     */
    long write(long rows, long seed, Function<String, OutputStream> open);
}
