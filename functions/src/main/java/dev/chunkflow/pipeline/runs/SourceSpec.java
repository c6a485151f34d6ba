package dev.chunkflow.pipeline.runs;

import java.util.Iterator;
import java.util.Set;
import java.util.TreeSet;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Inputs;
import dev.chunkflow.common.InvalidInput;

/** A request's {@code source: {bucket?, prefix}}, parsed and checked in one place (StartJob and GetChunks). */
public record SourceSpec(String bucket, String prefix) {
    private static final Set<String> FIELDS = Set.of("bucket", "prefix");

    /** {@code bucket} is null when the request leaves it to the data bucket. Unknown fields are errors. */
    public static SourceSpec parse(JsonNode source) {
        if (source == null || source.isNull()) {
            throw new InvalidInput("source", "required ({\"prefix\": \"input/...\", \"bucket\"?: ...})");
        }
        Inputs.requireObject(source, "source");
        for (Iterator<String> it = source.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!FIELDS.contains(f)) {
                throw new InvalidInput("source." + f, "unknown field (allowed: " + String.join(", ", new TreeSet<>(FIELDS)) + ")");
            }
        }
        String bucket = Inputs.requireBucket(Inputs.optionalText(source, "bucket", "source.bucket"), "source.bucket");
        String prefix = Inputs.requirePrefix(Inputs.requiredText(source, "prefix", "source.prefix"), "source.prefix");
        return new SourceSpec(bucket, prefix);
    }
}
