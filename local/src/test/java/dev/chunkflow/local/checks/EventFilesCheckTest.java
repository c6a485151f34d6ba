package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.ScheduledEvent;
import com.amazonaws.services.lambda.runtime.serialization.PojoSerializer;
import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.SamTemplate;

/**
 * events/*.json: valid JSON; an event named after a function (get-chunks.json -> GetChunksFunction,
 * a name may add a suffix: get-chunks-distributed.json) deserializes into that handler's input; the
 * execution input sample matches the execution input contract.
 */
class EventFilesCheckTest {

    @Test
    void everyEventFileIsJson() {
        List<Path> files = Repo.list(Repo.root().resolve("events"), "*.json");
        assertFalse(files.isEmpty(), "events/ has no *.json");
        files.forEach(Repo::readJson);
    }

    @Test
    void executionInputSampleMatchesTheContract() {
        JsonNode in = Repo.readJson(Repo.root().resolve("events/start-execution.json"));
        assertTrue(in.path("job_id").isTextual() && in.path("job_id").asText().matches("[A-Za-z0-9_-]{1,80}"),
                "job_id must be a valid execution name");
        assertTrue(in.path("source").path("prefix").isTextual(), "source.prefix is required");
        for (String optional : List.of("target_rows_per_chunk", "max_concurrency", "tolerated_failure_percentage", "batch_size")) {
            assertTrue(!in.has(optional) || in.get(optional).canConvertToInt(), optional + " must be an integer");
        }
    }

    /** Functions run by an EventBridge schedule: their sample event is a Scheduled Event. */
    static final List<String> SCHEDULED_FUNCTIONS = List.of("OrphanCollectorFunction");

    @Test
    void everyFunctionEventDeserializesIntoItsHandlerInput() throws IOException {
        SamTemplate t = Repo.template();
        List<String> problems = new ArrayList<>();
        for (Path file : Repo.list(Repo.root().resolve("events"), "*.json")) {
            Optional<FunctionDef> fn = functionFor(t, file.getFileName().toString());
            if (fn.isEmpty()) {
                continue;
            }
            String id = fn.get().logicalId();
            if (HandlerClassesCheckTest.HTTP_API_FUNCTIONS.contains(id)) {
                PojoSerializer<APIGatewayV2HTTPEvent> serializer =
                        LambdaEventSerializers.serializerFor(APIGatewayV2HTTPEvent.class, getClass().getClassLoader());
                try (InputStream in = Files.newInputStream(file)) {
                    APIGatewayV2HTTPEvent event = serializer.fromJson(in);
                    if (event.getRequestContext() == null || event.getRequestContext().getHttp() == null
                            || event.getRequestContext().getHttp().getMethod() == null) {
                        problems.add(file.getFileName() + ": not an HTTP API v2 event (requestContext.http.method missing)");
                    }
                } catch (RuntimeException e) {
                    problems.add(file.getFileName() + ": not an APIGatewayV2HTTPEvent: " + e.getMessage());
                }
            } else if (SCHEDULED_FUNCTIONS.contains(id)) {
                PojoSerializer<ScheduledEvent> serializer =
                        LambdaEventSerializers.serializerFor(ScheduledEvent.class, getClass().getClassLoader());
                try (InputStream in = Files.newInputStream(file)) {
                    ScheduledEvent event = serializer.fromJson(in);
                    if (!"Scheduled Event".equals(event.getDetailType()) || !"aws.events".equals(event.getSource())) {
                        problems.add(file.getFileName() + ": not an EventBridge Scheduled Event (detail-type, source)");
                    }
                } catch (RuntimeException e) {
                    problems.add(file.getFileName() + ": not a ScheduledEvent: " + e.getMessage());
                }
            } else {
                // A task payload: {job_id, ...}, or a Distributed Map batch {Items: [...], BatchInput: {job_id}}.
                JsonNode payload = Repo.readJson(file);
                JsonNode jobId = payload.has("Items") ? payload.path("BatchInput").path("job_id") : payload.path("job_id");
                boolean batchOk = !payload.has("Items") || payload.get("Items").isArray();
                if (!payload.isObject() || !batchOk || !jobId.isTextual() || jobId.asText().isBlank()) {
                    problems.add(file.getFileName() + ": a " + id + " task payload is {job_id, ...} or {Items: [...], BatchInput: {job_id}}");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void everyFunctionHasASampleEvent() {
        // users invoke each function with its sample event, and the cold-start bench starts each one with it
        SamTemplate t = Repo.template();
        java.util.Set<String> covered = new java.util.TreeSet<>();
        for (Path file : Repo.list(Repo.root().resolve("events"), "*.json")) {
            functionFor(t, file.getFileName().toString()).ifPresent(fn -> covered.add(fn.logicalId()));
        }
        java.util.Set<String> missing = new java.util.TreeSet<>(t.functions().keySet());
        missing.removeAll(covered);
        assertTrue(missing.isEmpty(), "functions without a sample event in events/: " + missing);
    }

    /** get-chunks.json / get-chunks-distributed.json -> GetChunksFunction (longest matching function name). */
    static Optional<FunctionDef> functionFor(SamTemplate t, String fileName) {
        String base = fileName.replace(".json", "");
        FunctionDef best = null;
        int bestLength = -1;
        for (FunctionDef fn : t.functions().values()) {
            String kebab = fn.logicalId().replaceAll("Function$", "").replaceAll("([a-z0-9])([A-Z])", "$1-$2")
                    .toLowerCase(Locale.ROOT);
            if ((base.equals(kebab) || base.startsWith(kebab + "-"))
                    && kebab.length() > bestLength) {
                best = fn;
                bestLength = kebab.length();
            }
        }
        return Optional.ofNullable(best);
    }
}
