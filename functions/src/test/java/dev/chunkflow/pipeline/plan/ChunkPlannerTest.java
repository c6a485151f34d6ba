package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

class ChunkPlannerTest {

    private static long[] chunkRows(int[] rows, int[] chunkOf) {
        long[] sizes = new long[chunkOf.length == 0 ? 0 : chunkOf[chunkOf.length - 1] + 1];
        for (int i = 0; i < rows.length; i++) {
            sizes[chunkOf[i]] += rows[i];
        }
        return sizes;
    }

    @Test
    void chunksAreContiguousBalancedAndWithinOneKeyOfTheTarget() {
        SplittableRandom r = new SplittableRandom(7);
        int[] rows = new int[50_000];
        int max = 0;
        for (int i = 0; i < rows.length; i++) {
            double u = r.nextDouble();
            rows[i] = 1 + (int) (40 * u * u * u);
            max = Math.max(max, rows[i]);
        }
        long target = 5_000;
        int[] chunkOf = ChunkPlanner.assign(rows, target);
        assertEquals(0, chunkOf[0]);
        for (int i = 1; i < chunkOf.length; i++) {
            assertTrue(chunkOf[i] == chunkOf[i - 1] || chunkOf[i] == chunkOf[i - 1] + 1, "contiguous at " + i);
        }
        long total = 0;
        for (int x : rows) {
            total += x;
        }
        long[] sizes = chunkRows(rows, chunkOf);
        assertEquals((total + target - 1) / target, sizes.length);
        long slot = total / sizes.length;
        for (long s : sizes) {
            assertTrue(s <= target + max, "chunk of " + s + " rows");
            assertTrue(Math.abs(s - slot) <= max + 1, "chunk of " + s + " rows vs slot " + slot);
        }
    }

    @Test
    void aKeyLargerThanTheTargetGetsItsOwnChunkAndIsNeverSplit() {
        int[] rows = {3, 3, 500, 3, 3, 3};
        int[] chunkOf = ChunkPlanner.assign(rows, 10);
        long[] sizes = chunkRows(rows, chunkOf);
        int big = chunkOf[2];
        assertEquals(500, sizes[big]);
        assertTrue(sizes.length >= 3);
    }

    @Test
    void targetOfOneRowGivesOneChunkPerKeyAtOneHundredThousandKeys() {
        int[] rows = new int[100_000];
        java.util.Arrays.fill(rows, 1);
        int[] chunkOf = ChunkPlanner.assign(rows, 1);
        for (int i = 0; i < rows.length; i++) {
            assertEquals(i, chunkOf[i]);
        }
    }

    @Test
    void middleSlotIsExactBeyondLongRange() {
        long total = 4_000_000_000_000L;
        long slots = 4_000_000_000L;
        assertEquals(slots - 1, ChunkPlanner.middleSlot(total - 1, 1, slots, total));
        assertEquals(0, ChunkPlanner.middleSlot(0, 1, slots, total));
    }
}
