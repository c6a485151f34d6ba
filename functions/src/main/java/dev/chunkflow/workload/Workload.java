package dev.chunkflow.workload;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One ETL a chunkflow run can execute: what the source records look like, which fields group them, what
 * a chunk of records turns into, and what the run's summary adds. The machinery (planning, key sets,
 * manifest, fan-out, idempotent writes, job records, AWS limits) does everything else; a workload never
 * calls S3, DynamoDB or Step Functions.
 *
 * <p>Workloads are found with {@link java.util.ServiceLoader}: a class implementing this interface with a
 * public no-argument constructor, named in {@code META-INF/services/dev.chunkflow.workload.Workload}.
 */
public interface Workload {

    /** The name a job selects it by ({@code "workload": NAME}): 1-40 of {@code [a-z0-9_-]}. */
    String name();

    /** How source objects are read (CSV with a header, or JSON Lines; plain or gzip). */
    RecordFormat format();

    /** The fields whose values group records: every record of a key lands in exactly one chunk. */
    GroupingKey key();

    /**
     * Names of the output parts a chunk writes, in the order they are written. Each lands under
     * {@code output/{job_id}/{part}/part-NNNNN.jsonl.gz}. {@code rejects} is the machinery's own part and
     * must not be listed.
     */
    List<String> parts();

    /** A fresh processor for one chunk; it sees only that chunk's records. */
    ChunkProcessor newChunkProcessor(ChunkContext context);

    /**
     * Fields this workload adds to the run's {@code summary.json} (and report), from the totals merged
     * over every chunk. Default: the summed counters.
     */
    default Map<String, Object> summarize(RunTotals totals) {
        return Map.copyOf(totals.counters());
    }

    /** A generator of sample source data for local runs and benchmarks, if the workload has one. */
    default Optional<SampleData> sampleData() {
        return Optional.empty();
    }
}
