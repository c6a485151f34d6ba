package dev.chunkflow.workload;

/**
 * Turns the records of one chunk into outputs. The machinery calls {@link #accept} once per record, in
 * source order (source object, then line), then {@link #finish} once.
 *
 * <p>A record that cannot be used is rejected by throwing {@link RecordRejected} with a reason code; any
 * other exception from {@code accept} also rejects the record (reason {@code workload_error}) and the
 * run goes on. An exception from {@link #finish} (or from a part writer) fails the chunk with
 * {@code dev.chunkflow.pipeline.process.WorkloadFailed}: nothing of the chunk is published and the run never
 * writes {@code _SUCCESS}.
 */
public interface ChunkProcessor {

    void accept(SourceRecord record);

    ChunkOutput finish();
}
