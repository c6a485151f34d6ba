package dev.chunkflow.pipeline.source;

/** One source CSV object as listed at planning time; the ETag pins the version that was read. */
public record SourceObject(String key, String etag, long size) {

    public boolean gzipped() {
        return key.toLowerCase(java.util.Locale.ROOT).endsWith(".gz");
    }
}
