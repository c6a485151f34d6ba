package dev.chunkflow.pipeline.plan;

/**
 * A run's manifest ({@code runs/{job_id}/chunks/manifest.json}) exists but is not one GetChunks wrote:
 * not JSON, empty, or without its job id and chunk count. The run cannot go on; re-plan it.
 */
public class InvalidManifest extends RuntimeException {
    public InvalidManifest(String message, Throwable cause) {
        super(message, cause);
    }
}
