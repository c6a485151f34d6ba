package dev.chunkflow.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The fan-out benchmark's claims, checked on small sizes (no timing): chunkflow and inline-only
 * succeed where the plan is small, the naive design dies of its key sets at 1,000 chunks.
 */
class PayloadScalingTest {
    static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void naiveDesignHitsTheStateLimitWhereChunkflowStaysSmall(@TempDir Path scratch) throws Exception {
        System.setProperty("bench.payload.chunks", "10,1000");
        try {
            BenchContext ctx = new BenchContext(REPO, scratch, true, new HashMap<>(), new PrintStream(new ByteArrayOutputStream()));
            BenchSection.Result r = new PayloadScaling().run(ctx);
            Map<String, JsonNode> runs = new LinkedHashMap<>();
            for (JsonNode run : r.json()) {
                runs.put(run.path("design").asText() + "@" + run.path("chunks").asInt(), run);
            }
            assertEquals(8, runs.size(), runs.keySet().toString());
            for (String key : new String[] {"chunkflow@10", "chunkflow@1000", "chunkflow-events@10", "chunkflow-events@1000",
                    "inline-only@10", "inline-only@1000", "naive@10"}) {
                assertEquals("SUCCEEDED", runs.get(key).path("status").asText(), key + ": " + runs.get(key));
            }
            JsonNode naive = runs.get("naive@1000");
            assertEquals("FAILED", naive.path("status").asText());
            assertEquals("States.DataLimitExceeded", naive.path("error").asText());
            assertTrue(naive.path("max_state_payload_bytes").asLong() > 262_144, naive.toString());
            assertTrue(runs.get("chunkflow@1000").path("max_state_payload_bytes").asLong() < 8 * 1024);
            assertEquals(0, runs.get("chunkflow@1000").path("limit_violations").size());
            assertTrue(runs.get("chunkflow-events@1000").path("max_state_payload_bytes").asLong() < 8 * 1024);
            assertEquals(0, runs.get("chunkflow-events@1000").path("limit_violations").size());
            assertEquals(3, r.targets().size());
            for (JsonNode t : r.targets()) {
                assertTrue(t.path("met").asBoolean(), t.toString());
            }
            assertTrue(r.markdown().contains("naive at 1,000 chunks: `States.DataLimitExceeded`"), r.markdown());
        } finally {
            System.clearProperty("bench.payload.chunks");
        }
    }
}
