package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChunkOfCodeTest {
    @Test
    void findsTheChunkWhoseFirstCodeIsTheGreatestNotAbove() {
        long[] first = {10, 20, 35};
        assertEquals(-1, PartitionWriter.chunkOfCode(first, 9));
        assertEquals(0, PartitionWriter.chunkOfCode(first, 10));
        assertEquals(0, PartitionWriter.chunkOfCode(first, 19));
        assertEquals(1, PartitionWriter.chunkOfCode(first, 20));
        assertEquals(1, PartitionWriter.chunkOfCode(first, 34));
        assertEquals(2, PartitionWriter.chunkOfCode(first, 35));
        assertEquals(2, PartitionWriter.chunkOfCode(first, Long.MAX_VALUE));
        assertEquals(-1, PartitionWriter.chunkOfCode(new long[0], 5));
    }
}
