package dev.chunkflow.pipeline.process;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.chunkflow.workload.JsonLines;

/**
 * A chunk's rejected records: where each was (source object and line) and why, never a field value.
 * Written as the {@code rejects} part, {@code {source, line, reason, detail}} per line in source order.
 */
final class Rejects {
    private record Reject(int sourceIndex, String source, long line, String reason, String detail) {
    }

    private final List<Reject> rejects = new ArrayList<>();

    void add(int sourceIndex, String source, long line, String reason, String detail) {
        rejects.add(new Reject(sourceIndex, source, line, reason, detail));
    }

    int size() {
        return rejects.size();
    }

    Map<String, Long> reasons() {
        Map<String, Long> reasons = new TreeMap<>();
        for (Reject r : rejects) {
            reasons.merge(r.reason(), 1L, Long::sum);
        }
        return reasons;
    }

    void write(OutputStream out) throws IOException {
        rejects.sort(Comparator.comparingInt(Reject::sourceIndex).thenComparingLong(Reject::line));
        try (JsonGenerator g = JsonLines.generator(out)) {
            for (Reject r : rejects) {
                g.writeStartObject();
                g.writeStringField("source", r.source());
                g.writeNumberField("line", r.line());
                g.writeStringField("reason", r.reason());
                g.writeStringField("detail", r.detail());
                g.writeEndObject();
                JsonLines.endLine(g);
            }
        }
    }
}
