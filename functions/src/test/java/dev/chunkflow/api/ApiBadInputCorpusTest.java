package dev.chunkflow.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.UpdateJobHandler;
import dev.chunkflow.testkit.ApiEvents;
import dev.chunkflow.testkit.ApiEvents.Response;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

/**
 * The bad-input corpus for the API (StartJob, {@code POST /jobs}) and the UpdateJob task (issue 12
 * item 6): wrong types, unknown fields, oversize bodies, hostile job ids. StartJob answers 400 with a
 * JSON body naming the field and starts nothing; UpdateJob raises {@link InvalidInput} naming the field
 * and writes nothing. The accepted edge cases (an 80-character id, a large update) are in the corpus too,
 * so a rule that rejects everything fails it.
 */
@ExtendWith(AwsExtension.class)
class ApiBadInputCorpusTest {
    private static final String MACHINE = "arn:aws:states:us-east-1:123456789012:stateMachine:chunkflow-etl";
    private static final String SRC = "\"source\":{\"prefix\":\"p/\"}";
    private static final String ID81 = "j".repeat(81);
    private static final String ID80 = "k".repeat(80);

    /** A request body and the field its 400 names ({@code null}: accepted, 202). */
    record Case(String body, String field) {
    }

    private FakeStepFunctions sfn;

    @BeforeEach
    void start() throws Exception {
        sfn = new FakeStepFunctions();
    }

    @AfterEach
    void stop() {
        sfn.close();
    }

    private static Case bad(String body, String field) {
        return new Case(body, field);
    }

    static List<Case> startJobCases() {
        List<Case> c = new ArrayList<>();
        // wrong types
        c.add(bad("{\"job_id\":5," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":[\"a\"]," + SRC + "}", "job_id"));
        c.add(bad("{\"source\":\"p/\"}", "source"));
        c.add(bad("{\"source\":[\"p/\"]}", "source"));
        c.add(bad("{\"source\":{\"prefix\":7}}", "source.prefix"));
        c.add(bad("{\"source\":{\"prefix\":\"p/\",\"bucket\":5}}", "source.bucket"));
        c.add(bad("{" + SRC + ",\"target_rows_per_chunk\":\"100\"}", "target_rows_per_chunk"));
        c.add(bad("{" + SRC + ",\"target_rows_per_chunk\":2.5}", "target_rows_per_chunk"));
        c.add(bad("{" + SRC + ",\"target_rows_per_chunk\":1e30}", "target_rows_per_chunk"));
        c.add(bad("{" + SRC + ",\"target_rows_per_chunk\":-1}", "target_rows_per_chunk"));
        c.add(bad("{" + SRC + ",\"max_concurrency\":true}", "max_concurrency"));
        c.add(bad("{" + SRC + ",\"batch_size\":{}}", "batch_size"));
        c.add(bad("{" + SRC + ",\"tolerated_failure_percentage\":\"5\"}", "tolerated_failure_percentage"));
        c.add(bad("{" + SRC + ",\"workload\":3}", "workload"));
        c.add(bad("[" + "{" + SRC + "}]", "$"));
        c.add(bad("\"{" + SRC + "}\"", "$"));
        // unknown fields
        c.add(bad("{\"jobid\":\"a\"," + SRC + "}", "jobid"));
        c.add(bad("{" + SRC + ",\"Target_Rows_Per_Chunk\":5}", "Target_Rows_Per_Chunk"));
        c.add(bad("{\"source\":{\"prefix\":\"p/\",\"region\":\"us-east-1\"}}", "source.region"));
        // a field given twice: JSON parsers disagree on which one counts, so neither does
        c.add(bad("{\"job_id\":\"../etc\",\"job_id\":\"fine\"," + SRC + "}", "$"));
        c.add(bad("{\"source\":{\"prefix\":\"a/\",\"prefix\":\"b/\"}}", "$"));
        // oversize bodies
        c.add(bad("{" + SRC + ",\"padding\":\"" + "x".repeat(6 << 20) + "\"}", "padding"));
        c.add(bad("{\"source\":{\"prefix\":\"" + "p".repeat(1025) + "\"}}", "source.prefix"));
        c.add(bad("{" + SRC + ",\"target_rows_per_chunk\":1" + "0".repeat(5000) + "}", "$"));
        c.add(bad("{\"source\":" + "[".repeat(5000) + "]".repeat(5000) + "}", "$"));
        // hostile job ids
        c.add(bad("{\"job_id\":\"../etc\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"a/b\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"..\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"j\u00f6b\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"job\u202e1\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"job\\u0000\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"job 1\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"\"," + SRC + "}", "job_id"));
        c.add(bad("{\"job_id\":\"" + ID81 + "\"," + SRC + "}", "job_id"));
        // the edges that are fine
        c.add(bad("{\"job_id\":\"" + ID80 + "\"," + SRC + "}", null));
        c.add(bad("{\"job_id\":\"A_b-9\",\"source\":{\"prefix\":\"" + "p".repeat(1024) + "\"}}", null));
        return c;
    }

    @Test
    void startJobAnswers400NamingTheFieldAndStartsNothing(EmbeddedAws aws) {
        StartJobHandler h = new StartJobHandler(new AwsClients(aws.env().with("AWS_ENDPOINT_URL_SFN", sfn.endpoint())
                .with("STATE_MACHINE_ARN", MACHINE)));
        List<String> wrong = new ArrayList<>();
        int accepted = 0;
        for (Case k : startJobCases()) {
            ObjectNode e = ApiEvents.load("start-job.json");
            e.put("body", k.body());
            Response r = ApiEvents.invoke(h, e);
            String what = abbreviate(k.body()) + " -> " + r.statusCode() + " " + abbreviate(r.body());
            if (k.field() == null) {
                accepted++;
                if (r.statusCode() != 202) {
                    wrong.add("expected 202: " + what);
                }
                continue;
            }
            JsonNode err = r.statusCode() == 400 ? Json.readTree(r.body().getBytes(StandardCharsets.UTF_8)) : null;
            if (err == null || !"InvalidInput".equals(err.path("error").asText()) || !k.field().equals(err.path("field").asText())
                    || !"application/json".equals(r.headers().get("Content-Type"))) {
                wrong.add("expected 400 naming " + k.field() + ": " + what);
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        assertEquals(accepted, sfn.startCalls.get(), "only accepted requests start an execution");
        assertTrue(startJobCases().size() >= 30);
    }

    static List<Case> updateJobCases(String job) {
        String id = "\"job_id\":\"" + job + "\"";
        List<Case> c = new ArrayList<>();
        // wrong types
        c.add(bad("{\"job_id\":5}", "job_id"));
        c.add(bad("{\"job_id\":null}", "job_id"));
        c.add(bad("{" + id + ",\"status\":5}", "status"));
        c.add(bad("{" + id + ",\"status\":\"running\"}", "status"));
        c.add(bad("{" + id + ",\"append_steps\":{\"name\":\"x\"}}", "append_steps"));
        c.add(bad("{" + id + ",\"append_steps\":[\"x\"]}", "append_steps[0]"));
        c.add(bad("{" + id + ",\"set_steps\":5}", "set_steps"));
        c.add(bad("{" + id + ",\"counters\":[1]}", "counters"));
        c.add(bad("{" + id + ",\"counters\":{\"rows_in\":\"5\"}}", "counters.rows_in"));
        c.add(bad("{" + id + ",\"counters\":{\"rows_in\":1.5}}", "counters.rows_in"));
        c.add(bad("{" + id + ",\"fields\":[1]}", "fields"));
        c.add(bad("{" + id + ",\"error\":5}", "error"));
        c.add(bad("[{" + id + "}]", "$"));
        // unknown fields
        c.add(bad("{" + id + ",\"statuz\":\"RUNNING\"}", "statuz"));
        c.add(bad("{" + id + ",\"Status\":\"RUNNING\"}", "Status"));
        // oversize
        c.add(bad("{" + id + ",\"counters\":{\"rows_in\":1" + "0".repeat(5000) + "}}", "$"));
        c.add(bad("{" + id + ",\"fields\":{\"deep\":" + "[".repeat(5000) + "]".repeat(5000) + "}}", "$"));
        // hostile job ids
        for (String hostile : List.of("../etc", "a/b", "..", "j\u00f6b", "job\u202e1", "job 1", "", ID81)) {
            c.add(bad("{\"job_id\":" + Json.string(hostile) + ",\"status\":\"RUNNING\"}", "job_id"));
        }
        // accepted: an 80-character id, and a step of 1 MB (larger than a DynamoDB item: offloaded to S3)
        c.add(bad("{\"job_id\":\"" + ID80 + "\",\"status\":\"RUNNING\"}", null));
        c.add(bad("{" + id + ",\"append_steps\":[{\"name\":\"Big\",\"output\":{\"blob\":\"" + "b".repeat(1 << 20) + "\"}}]}", null));
        return c;
    }

    @Test
    void updateJobRaisesInvalidInputNamingTheFieldAndWritesNothing(EmbeddedAws aws) throws Exception {
        String job = "corpus-update-1";
        JobStore store = JobStore.fromEnv(aws.clients());
        store.createIfAbsent(job, Map.of("source", Map.of("prefix", "p/")));
        Map<String, Object> before = store.read(job).orElseThrow();
        UpdateJobHandler h = new UpdateJobHandler(aws.clients());
        List<String> wrong = new ArrayList<>();
        for (Case k : updateJobCases(job)) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try {
                h.handleRequest(new ByteArrayInputStream(k.body().getBytes(StandardCharsets.UTF_8)), out, null);
                if (k.field() != null) {
                    wrong.add("expected InvalidInput naming " + k.field() + ": " + abbreviate(k.body()) + " -> " + out);
                } else if (Json.readTree(out.toByteArray()).path("version").asLong() < 1) {
                    wrong.add("no version after " + abbreviate(k.body()) + ": " + out);
                }
            } catch (InvalidInput e) {
                if (!e.field().equals(k.field())) {
                    wrong.add("expected InvalidInput naming " + k.field() + ": " + abbreviate(k.body()) + " -> " + e.getMessage());
                }
                if (k.field() != null && !store.read(job).orElseThrow().equals(before)) {
                    wrong.add("the job changed after rejected input " + abbreviate(k.body()));
                }
            } catch (Exception e) {
                wrong.add(abbreviate(k.body()) + " -> " + e.getClass().getName() + ": " + abbreviate(String.valueOf(e.getMessage())));
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
        List<?> steps = (List<?>) store.read(job).orElseThrow().get("execution_steps");
        if (steps == null || steps.size() != 1) {
            fail("the accepted 1 MB step is stored once: " + (steps == null ? "none" : steps.size()));
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 100 ? s.substring(0, 100) + "...(" + s.length() + " chars)" : s;
    }
}
