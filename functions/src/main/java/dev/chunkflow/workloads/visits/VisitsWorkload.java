package dev.chunkflow.workloads.visits;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkOutput;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.SourceRecord;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.RunTotals;
import dev.chunkflow.workload.SampleData;
import dev.chunkflow.workload.Workload;

/**
 * Patient visits: CSV keyed by {@code (visit_date, ssn)}, validated, de-duplicated by {@code visit_id},
 * pseudonymized ({@link VisitTransform}); parts {@code visits} and {@code daily}.
 */
public final class VisitsWorkload implements Workload {
    public static final String NAME = "visits";
    private static final RecordFormat FORMAT = new RecordFormat.Csv(VisitCsv.COLUMNS);
    private static final GroupingKey KEY = GroupingKey.of(KeyPart.string("visit_date"), KeyPart.string("ssn"))
            .withEncoder(new VisitKeyEncoder());
    /** One source object per this many rows in generated sample data. */
    static final long SAMPLE_ROWS_PER_FILE = 250_000;

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public RecordFormat format() {
        return FORMAT;
    }

    @Override
    public GroupingKey key() {
        return KEY;
    }

    @Override
    public List<String> parts() {
        return List.of("visits", "daily");
    }

    @Override
    public ChunkProcessor newChunkProcessor(ChunkContext context) {
        VisitTransform transform = new VisitTransform(new Pseudonymizer(context.secret().get()));
        return new ChunkProcessor() {
            @Override
            public void accept(SourceRecord r) {
                transform.accept(r.sourceIndex(), r.line(), r.fields(), r.fieldCount());
            }

            @Override
            public ChunkOutput finish() {
                VisitTransform.Result result = transform.finish();
                Map<String, ChunkOutput.PartWriter> parts = new LinkedHashMap<>();
                parts.put("visits", result::writeVisits);
                parts.put("daily", result::writeDaily);
                return new ChunkOutput(result.rowsOut(), result.duplicatesDropped(), parts,
                        Map.of("daily_rows", result.dailyRows()));
            }
        };
    }

    @Override
    public Map<String, Object> summarize(RunTotals totals) {
        return Map.of("daily_rows", totals.counters().getOrDefault("daily_rows", 0L));
    }

    @Override
    public Optional<SampleData> sampleData() {
        return Optional.of((rows, seed, open) -> {
            int files = (int) Math.max(1, Math.min(10_000, (rows + SAMPLE_ROWS_PER_FILE - 1) / SAMPLE_ROWS_PER_FILE));
            SampleDataGenerator generator = new SampleDataGenerator(SampleDataGenerator.Config.of(rows, seed).withFiles(files));
            return generator.write(i -> open.apply(generator.fileName(i))).rows();
        });
    }
}
