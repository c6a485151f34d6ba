package dev.chunkflow.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.pipeline.plan.GetChunksHandler;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.pipeline.summarize.SummarizeHandler;
import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

/**
 * The sample events in events/ (what {@code sam local invoke -e} and {@code chunkflow invoke} use),
 * run through their handlers against the embedded AWS with sample data at {@code input/sample/}.
 */
@ExtendWith(AwsExtension.class)
class SampleEventsTest {

    private static byte[] event(String name) throws IOException {
        return Files.readAllBytes(Path.of("..", "events", name));
    }

    @Test
    void everyPipelineEventRunsThroughItsHandler(EmbeddedAws aws) throws IOException {
        TestData.upload(aws, "input/sample/", SampleDataGenerator.Config.of(60_000, 42).withFiles(2).withGzip(true));

        JsonNode plan = Json.readTree(TestData.invoke(new GetChunksHandler(aws.clients()), event("get-chunks.json")));
        assertEquals("sample-0001", plan.get("job_id").asText());
        assertEquals(2, plan.get("num_chunks").asInt());
        assertEquals("[0,1]", plan.get("chunk_ids").toString());

        ProcessChunkHandler process = new ProcessChunkHandler(aws.clients());
        JsonNode one = Json.readTree(TestData.invoke(process, event("process-chunk.json")));
        assertEquals(0, one.get("chunk_id").asInt());
        JsonNode batch = Json.readTree(TestData.invoke(process, event("process-chunk-batch.json")));
        assertEquals("[0,1]", batch.get("chunk_ids").toString());
        assertEquals(60_000, batch.get("rows_in").asLong());
        assertEquals(List.of("chunk_ids", "duplicates_dropped", "rows_in", "rows_out", "rows_rejected", "unprocessed"),
                iterable(batch));
        assertEquals("[]", batch.get("unprocessed").toString());

        JsonNode summary = Json.readTree(TestData.invoke(new SummarizeHandler(aws.clients()), event("summarize.json")));
        assertEquals("output/sample-0001/_SUCCESS", summary.get("success_key").asText());
        assertEquals(60_000, summary.get("rows_in").asLong());
    }

    private static List<String> iterable(JsonNode n) {
        List<String> names = new java.util.ArrayList<>();
        n.fieldNames().forEachRemaining(names::add);
        java.util.Collections.sort(names);
        return names;
    }

    @Test
    void malformedTaskInputsAreInvalidInputNamingTheField(EmbeddedAws aws) {
        GetChunksHandler get = new GetChunksHandler(aws.clients());
        ProcessChunkHandler process = new ProcessChunkHandler(aws.clients());
        SummarizeHandler summarize = new SummarizeHandler(aws.clients());
        assertEquals("source", assertThrows(InvalidInput.class, () -> TestData.invoke(get, "{\"job_id\":\"a\"}")).field());
        assertEquals("source.prefix", assertThrows(InvalidInput.class,
                () -> TestData.invoke(get, "{\"job_id\":\"a\",\"source\":{\"prefix\":\"/abs\"}}")).field());
        assertEquals("target_rows_per_chunk", assertThrows(InvalidInput.class,
                () -> TestData.invoke(get, "{\"job_id\":\"a\",\"source\":{\"prefix\":\"p/\"},\"target_rows_per_chunk\":\"5\"}")).field());
        assertEquals("job_id", assertThrows(InvalidInput.class, () -> TestData.invoke(get, "{\"source\":{\"prefix\":\"p/\"}}")).field());
        assertEquals("chunk_id", assertThrows(InvalidInput.class, () -> TestData.invoke(process, "{\"job_id\":\"a\",\"chunk_id\":-1}")).field());
        assertEquals("chunk_id", assertThrows(InvalidInput.class, () -> TestData.invoke(process, "{\"job_id\":\"a\"}")).field());
        assertEquals("Items", assertThrows(InvalidInput.class,
                () -> TestData.invoke(process, "{\"Items\":[],\"BatchInput\":{\"job_id\":\"a\"}}")).field());
        assertEquals("Items[1]", assertThrows(InvalidInput.class,
                () -> TestData.invoke(process, "{\"Items\":[1,\"x\"],\"BatchInput\":{\"job_id\":\"a\"}}")).field());
        assertEquals("BatchInput", assertThrows(InvalidInput.class, () -> TestData.invoke(process, "{\"Items\":[1]}")).field());
        assertEquals("job_id", assertThrows(InvalidInput.class,
                () -> TestData.invoke(process, "{\"job_id\":\"never-planned\",\"chunk_id\":0}")).field());
        assertEquals("job_id", assertThrows(InvalidInput.class, () -> TestData.invoke(summarize, "{\"job_id\":\"never-planned\"}")).field());
        assertEquals("$", assertThrows(InvalidInput.class, () -> TestData.invoke(summarize, "[]")).field());
        StringBuilder many = new StringBuilder("{\"Items\":[0");
        for (int i = 1; i <= ProcessChunkHandler.MAX_BATCH; i++) {
            many.append(',').append(i);
        }
        many.append("],\"BatchInput\":{\"job_id\":\"a\"}}");
        InvalidInput tooMany = assertThrows(InvalidInput.class, () -> TestData.invoke(process, many.toString()));
        assertTrue(tooMany.getMessage().contains("at most " + ProcessChunkHandler.MAX_BATCH));
    }
}
