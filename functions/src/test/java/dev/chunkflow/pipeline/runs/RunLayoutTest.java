package dev.chunkflow.pipeline.runs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RunLayoutTest {

    @Test
    void inputPrefixIsUnderInputWhereGetChunksMayRead() {
        assertEquals("input/sample-r3000-s7/", RunLayout.inputPrefix("sample-r3000-s7"));
    }

    @Test
    void partKeysOfAnyPartNameArePartKeysOfTheirJobOnly() {
        assertTrue(RunLayout.isPartKey("j1", RunLayout.partKey("j1", "visits", 0)));
        assertTrue(RunLayout.isPartKey("j1", RunLayout.partKey("j1", "sessions", 123_456)));
        assertFalse(RunLayout.isPartKey("j2", RunLayout.partKey("j1", "visits", 0)), "another job's part");
        assertFalse(RunLayout.isPartKey("j", RunLayout.partKey("j1", "visits", 0)), "a job id that is a prefix of another");
    }

    @Test
    void theRunsOtherOutputObjectsAreNotParts() {
        for (String key : new String[] {RunLayout.summaryKey("j1"), RunLayout.reportKey("j1"), RunLayout.successKey("j1"),
                RunLayout.outputPrefix("j1") + "console.html", RunLayout.outputPrefix("j1") + "part-00000.jsonl.gz",
                RunLayout.partPrefix("j1", "visits") + "part-00000.json", RunLayout.dataKey("j1", 0)}) {
            assertFalse(RunLayout.isPartKey("j1", key), key);
        }
    }

    @Test
    void jobObjectKeysNameTheirJobAndNothingElseDoes() {
        String key = RunLayout.jobObjectKey("j-1", "execution_steps", 7, "0123456789ab");
        assertEquals("jobs/j-1/execution_steps/v7-0123456789ab.json", key);
        assertEquals("j-1", RunLayout.jobIdOfJobKey(key));
        assertEquals(null, RunLayout.jobIdOfJobKey("jobs/stray"), "no folder: not a job's object");
        assertEquals(null, RunLayout.jobIdOfJobKey("jobs//x.json"));
        assertEquals(null, RunLayout.jobIdOfJobKey(RunLayout.dataKey("j-1", 0)));
    }
}
