package dev.chunkflow.workloads.events;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.RunTotals;
import dev.chunkflow.workload.SampleData;
import dev.chunkflow.workload.Workload;

/**
 * App events: JSON Lines keyed by {@code user_id}; de-duplicated by {@code event_id}, ordered by
 * timestamp, split into sessions at gaps of more than 30 minutes ({@link Sessionizer}); parts
 * {@code sessions} and {@code daily} (events and sessions started per user and UTC day).
 */
public final class EventsWorkload implements Workload {
    public static final String NAME = "events";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RecordFormat format() {
        return new RecordFormat.JsonLines();
    }

    @Override
    public GroupingKey key() {
        return GroupingKey.of(KeyPart.string("user_id"));
    }

    @Override
    public List<String> parts() {
        return List.of(Sessionizer.SESSIONS, Sessionizer.DAILY);
    }

    @Override
    public ChunkProcessor newChunkProcessor(ChunkContext context) {
        return new Sessionizer();
    }

    @Override
    public Map<String, Object> summarize(RunTotals totals) {
        return Map.of("sessions", totals.counters().getOrDefault("sessions", 0L),
                "users", totals.counters().getOrDefault("users", 0L),
                "daily_rows", totals.counters().getOrDefault("daily_rows", 0L));
    }

    @Override
    public Optional<SampleData> sampleData() {
        return Optional.of(EventSampleData::write);
    }
}
