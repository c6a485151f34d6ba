package dev.chunkflow.local.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;

class CostModelTest {
    private static BenchContext ctx(Map<String, JsonNode> earlier) {
        return new BenchContext(Path.of("."), Path.of("bench/tmp"), true, earlier, new PrintStream(new ByteArrayOutputStream()));
    }

    @Test
    void scalesMeasuredDurationsAndRequestsToTenMillionRows() {
        JsonNode throughput = Json.readTree(("""
                {"rows": 1000000,
                 "process_chunk_alone": {"rows_per_chunk": 50000, "median_ms": 2000},
                 "functions": {
                   "ProcessChunkFunction": {"memory_mb": 2048, "invocations": 20, "billed_ms": 99999},
                   "GetChunksFunction": {"memory_mb": 3008, "invocations": 1, "billed_ms": 10000},
                   "SummarizeFunction": {"memory_mb": 2048, "invocations": 1, "billed_ms": 500},
                   "StartJobFunction": {"memory_mb": 512, "invocations": 1, "billed_ms": 300},
                   "UpdateJobFunction": {"memory_mb": 1024, "invocations": 2, "billed_ms": 200}},
                 "aws_requests": {"S3.PutObject": 100, "S3.GetObject": 50, "DynamoDb.UpdateItem": 30, "Sfn.StartExecution": 1}}
                """).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        Map<String, JsonNode> earlier = new HashMap<>();
        earlier.put("throughput", throughput);
        JsonNode j = new CostModel().run(ctx(earlier)).json();
        assertEquals(200, j.path("chunks").asLong());
        // ProcessChunk: 200 chunks x 2 s x 2 GB = 800 GB-s, from the one-at-a-time duration, not the run's total.
        assertEquals(800.0, j.path("lambda").path("ProcessChunkFunction").path("gb_seconds").asDouble(), 0.01);
        // GetChunks scales with rows: 10 s x 10 x 3008/1024 GB.
        assertEquals(100 * 3008 / 1024.0, j.path("lambda").path("GetChunksFunction").path("gb_seconds").asDouble(), 0.01);
        assertEquals(11 + 200, j.path("step_functions").path("inline_map_standard").path("transitions").asLong());
        assertEquals(20, j.path("step_functions").path("distributed_map_express_children").path("children").asLong());
        assertEquals(1000, j.path("s3").path("put_list_requests").asLong());
        assertEquals(500, j.path("s3").path("get_requests").asLong());
        assertEquals(1000 * 0.005 / 1000 + 500 * 0.0004 / 1000, j.path("s3").path("usd").asDouble(), 1e-4);
    }

    @Test
    void needsTheThroughputSection() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CostModel().run(ctx(new HashMap<>())));
        assertEquals(true, e.getMessage().contains("--only throughput,cost_model"));
    }
}
