package dev.chunkflow.local.workloads;

import java.util.List;

import dev.chunkflow.workload.ChunkContext;
import dev.chunkflow.workload.ChunkOutput;
import dev.chunkflow.workload.ChunkProcessor;
import dev.chunkflow.workload.GroupingKey;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.SourceRecord;
import dev.chunkflow.workload.RecordFormat;
import dev.chunkflow.workload.Workload;

/** Test workload (on the local tests' class path through META-INF/services): fails every chunk it finishes. */
public final class ExplodingWorkload implements Workload {
    @Override
    public String name() {
        return "exploding-test";
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
        return List.of("nothing");
    }

    @Override
    public ChunkProcessor newChunkProcessor(ChunkContext context) {
        return new ChunkProcessor() {
            @Override
            public void accept(SourceRecord record) {
            }

            @Override
            public ChunkOutput finish() {
                throw new IllegalStateException("this workload fails every chunk");
            }
        };
    }
}
