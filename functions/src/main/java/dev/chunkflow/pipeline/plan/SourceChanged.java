package dev.chunkflow.pipeline.plan;

/**
 * A source object was replaced while GetChunks was reading it (its ETag no longer matches the
 * listing). The class name is the Step Functions error name; a retry plans the new version.
 */
public class SourceChanged extends RuntimeException {
    public SourceChanged(String message) {
        super(message);
    }
}
