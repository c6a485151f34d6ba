package dev.chunkflow.pipeline.plan;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;

import dev.chunkflow.pipeline.runs.RunLayout;

/**
 * GetChunks' task result. Its size is bounded by construction: chunk ids are listed only in INLINE
 * mode, i.e. for at most {@code inlineMapMaxChunks} (itself capped at
 * {@link GetChunksService.Settings#MAX_INLINE_MAP_CHUNKS}) chunks; above that the Distributed Map reads
 * {@code ids.json} from S3.
 */
public record GetChunksOutput(String jobId, int numChunks, long totalRows, String manifestKey, String idsKey,
                              String mapMode, int[] chunkIds) {
    public static final String INLINE = "INLINE";
    public static final String DISTRIBUTED = "DISTRIBUTED";

    public static GetChunksOutput of(String jobId, int numChunks, long totalRows, int inlineMapMaxChunks) {
        boolean inline = numChunks <= inlineMapMaxChunks;
        return new GetChunksOutput(jobId, numChunks, totalRows, RunLayout.manifestKey(jobId), RunLayout.idsKey(jobId),
                inline ? INLINE : DISTRIBUTED, inline ? IntStream.range(0, numChunks).toArray() : null);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("job_id", jobId);
        m.put("num_chunks", numChunks);
        m.put("total_rows", totalRows);
        m.put("manifest_key", manifestKey);
        m.put("ids_key", idsKey);
        m.put("map_mode", mapMode);
        if (chunkIds != null) {
            m.put("chunk_ids", chunkIds);
        }
        return m;
    }
}
