package dev.chunkflow.pipeline.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Json;

class GetChunksOutputTest {
    private static final String JOB = "job-with-a-rather-long-identifier-for-the-worst-case-0123456789-abcdefghijklmn";

    @Test
    void distributedOutputAtOneHundredThousandChunksIsTiny() {
        byte[] out = Json.bytes(GetChunksOutput.of(JOB, 100_000, 5_000_000_000L, 1000).toMap());
        JsonNode n = Json.readTree(out);
        assertEquals("DISTRIBUTED", n.get("map_mode").asText());
        assertFalse(n.has("chunk_ids"));
        assertEquals(100_000, n.get("num_chunks").asInt());
        assertTrue(out.length < 512, out.length + " bytes");
    }

    @Test
    void inlineOutputIsBoundedByTheInlineCap() {
        byte[] at1000 = Json.bytes(GetChunksOutput.of(JOB, 1000, 50_000_000, 1000).toMap());
        assertEquals("INLINE", Json.readTree(at1000).get("map_mode").asText());
        assertEquals(1000, Json.readTree(at1000).get("chunk_ids").size());
        assertTrue(at1000.length < 8 * 1024, at1000.length + " bytes");
        int cap = GetChunksService.Settings.MAX_INLINE_MAP_CHUNKS;
        byte[] atCap = Json.bytes(GetChunksOutput.of(JOB, cap, 1, cap).toMap());
        assertTrue(atCap.length < 32 * 1024, atCap.length + " bytes");
        assertEquals("DISTRIBUTED", GetChunksOutput.of(JOB, 1001, 1, 1000).mapMode());
    }

    @Test
    void inlineCapCannotBeConfiguredPastTheHistoryLimit() {
        var e = assertThrows(dev.chunkflow.settings.InvalidSetting.class, () -> GetChunksService.Settings.fromEnv(
                Env.of(java.util.Map.of("INLINE_MAP_MAX_CHUNKS", "5000"))));
        assertTrue(e.getMessage().contains("INLINE_MAP_MAX_CHUNKS"));
        assertEquals(1000, GetChunksService.Settings.fromEnv(Env.of(java.util.Map.of())).inlineMapMaxChunks());
        assertEquals(Path.of(System.getProperty("java.io.tmpdir")),
                GetChunksService.Settings.fromEnv(Env.of(java.util.Map.of())).spillDir());
    }
}
