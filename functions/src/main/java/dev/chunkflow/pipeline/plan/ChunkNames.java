package dev.chunkflow.pipeline.plan;

import dev.chunkflow.pipeline.runs.RunLayout;

/** Where a planned chunk's two objects go: by global id (one invocation) or by partition and local number (fan-out). */
interface ChunkNames {
    String keysKey(int chunkId);

    String dataKey(int chunkId);

    static ChunkNames global(String jobId) {
        return new ChunkNames() {
            @Override
            public String keysKey(int chunkId) {
                return RunLayout.keysKey(jobId, chunkId);
            }

            @Override
            public String dataKey(int chunkId) {
                return RunLayout.dataKey(jobId, chunkId);
            }
        };
    }

    static ChunkNames ofPartition(String jobId, int partition) {
        return new ChunkNames() {
            @Override
            public String keysKey(int localChunk) {
                return RunLayout.partitionKeysKey(jobId, partition, localChunk);
            }

            @Override
            public String dataKey(int localChunk) {
                return RunLayout.partitionDataKey(jobId, partition, localChunk);
            }
        };
    }
}
