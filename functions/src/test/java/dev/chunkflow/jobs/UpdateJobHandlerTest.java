package dev.chunkflow.jobs;

import static dev.chunkflow.jobs.TestJobs.*;
import static org.junit.jupiter.api.Assertions.*;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import com.amazonaws.services.lambda.runtime.tests.EventLoader;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

@ExtendWith(AwsExtension.class)
class UpdateJobHandlerTest {

    static JsonNode invoke(UpdateJobHandler handler, byte[] input) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), out, null);
        return Json.readTree(out.toByteArray());
    }

    static byte[] event(String file, String jobId) {
        @SuppressWarnings("unchecked")
        Map<String, Object> e = EventLoader.loadEvent("../events/" + file, Map.class);
        e.put("job_id", jobId);
        return Json.bytes(e);
    }

    @Test
    void sampleEventsRunThroughTheHandler(EmbeddedAws aws) throws Exception {
        UpdateJobHandler handler = new UpdateJobHandler(aws.clients());
        String id = newJobId("events");
        JsonNode running = invoke(handler, event("update-job-running.json", id));
        assertEquals(id, running.get("job_id").asText());
        assertEquals("RUNNING", running.get("status").asText());
        assertEquals(1, running.get("version").asLong());
        assertEquals("inline", running.get("execution_steps_location").asText());

        JsonNode appended = invoke(handler, event("update-job-append-steps.json", id));
        assertEquals(2, appended.get("version").asLong());
        JsonNode failed = invoke(handler, event("update-job-failed.json", id));
        assertEquals("FAILED", failed.get("status").asText());

        Map<String, AttributeValue> item = rawItem(aws, id);
        assertEquals(3, item.get("execution_steps").l().size());
        assertEquals("4", item.get("num_chunks").n());
        assertEquals("199120", item.get("rows_out").n());
        assertEquals("States.TaskFailed", item.get("error").m().get("error").s());
        assertTrue(item.get("error").m().containsKey("cause"));
        assertEquals(failed.get("item_bytes").asLong(), dev.chunkflow.offload.ItemSize.bytes(item));
    }

    @Test
    void outputStaysSmallWhateverTheJobSize(EmbeddedAws aws) throws Exception {
        UpdateJobHandler handler = new UpdateJobHandler(aws.clients());
        String id = newJobId("small-output");
        byte[] input = Json.bytes(Map.of("job_id", id, "status", "RUNNING", "append_steps", steps("s", 40, 5_000_000),
                "fields", Map.of("report", "x".repeat(500_000))));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(input), out, null);
        assertTrue(out.size() < 300, out.size() + " bytes");
        JsonNode r = Json.readTree(out.toByteArray());
        assertEquals("s3", r.get("execution_steps_location").asText());
        assertEquals(List.of("execution_steps_location", "item_bytes", "job_id", "status", "version"),
                List.copyOf(iterable(r.fieldNames())));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "{}                                                    | job_id",
        "{\"job_id\": 7}                                       | job_id",
        "{\"job_id\": \"a/../b\"}                              | job_id",
        "{\"job_id\": \"ok-1\", \"status\": \"DONE\"}          | status",
        "{\"job_id\": \"ok-1\", \"append_steps\": {}}          | append_steps",
        "{\"job_id\": \"ok-1\", \"set_steps\": [1]}            | set_steps[0]",
        "{\"job_id\": \"ok-1\", \"counters\": {\"rows_in\": 1.5}} | counters.rows_in",
        "{\"job_id\": \"ok-1\", \"error\": \"boom\"}           | error",
        "{\"job_id\": \"ok-1\", \"error\": {\"code\": \"x\"}}   | error.code",
        "{\"job_id\": \"ok-1\", \"fields\": {\"status\": \"x\"}} | fields.status",
        "{\"job_id\": \"ok-1\", \"stauts\": \"RUNNING\"}       | stauts",
        "[1, 2]                                                | $",
        "not json                                              | $",
    })
    void invalidInputFailsWithInvalidInputNamingTheField(String input, String field, EmbeddedAws aws) {
        UpdateJobHandler handler = new UpdateJobHandler(aws.clients());
        InvalidInput e = assertThrows(InvalidInput.class,
                () -> invoke(handler, input.getBytes(StandardCharsets.UTF_8)));
        assertEquals(field, e.field(), e.getMessage());
        assertTrue(e.getMessage().startsWith(field + ": "), e.getMessage());
        assertEquals("dev.chunkflow.common.InvalidInput", e.getClass().getName());
    }

    private static <T> List<T> iterable(java.util.Iterator<T> it) {
        List<T> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }
}
