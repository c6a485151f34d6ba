package dev.chunkflow.local.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.jobs.JobUpdate;
import dev.chunkflow.local.iam.IamReport;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * GetJob under the template's IAM role, as on AWS: its role has no s3:ListBucket, so the offloaded steps
 * object that is gone reaches it as S3's 403, not 404, and GET /jobs/{id} must still answer 200 with
 * {@code execution_steps: []}.
 */
class GetJobUnderIamTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    @Test
    void aMissingStepsObjectIs403ToGetJobAndStillA200(@TempDir Path state) throws Exception {
        try (LocalApp app = LocalApp.start(REPO, state, Map.of(), Map.of(), 0, 0, null)) {
            String jobId = "iam-missing-steps";
            List<Map<String, Object>> steps = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Map<String, Object> s = new LinkedHashMap<>();
                s.put("name", "step" + i);
                s.put("status", "SUCCEEDED");
                s.put("output", "o".repeat(80_000));
                steps.add(s);
            }
            JobStore.fromEnv(app.aws().clients()).update(JobUpdate.builder(jobId).appendSteps(steps).build());
            Map<String, AttributeValue> item = app.aws().dynamoDb().getItem(b -> b.tableName(app.table()).consistentRead(true)
                    .key(Map.of("job_id", AttributeValue.fromS(jobId)))).item();
            String key = item.get("execution_steps_s3_key").s();
            app.aws().s3().deleteObject(b -> b.bucket(app.bucket()).key(key));

            String event = Files.readString(REPO.resolve("events/get-job.json"), StandardCharsets.UTF_8)
                    .replace("example-job-0001", jobId);
            JsonNode response = Json.readTree(app.invoke("GetJobFunction", event.getBytes(StandardCharsets.UTF_8)));
            assertEquals(200, response.path("statusCode").asInt(), response.toString());
            JsonNode body = Json.readTree(response.path("body").asText().getBytes(StandardCharsets.UTF_8));
            assertTrue(body.path("execution_steps").isArray() && body.path("execution_steps").isEmpty(), body.toString());
            assertEquals(5, body.path("execution_steps_count").asInt(), body.toString());

            IamReport.PrincipalReport getJob = app.iamReport().principals().get("GetJobFunction");
            assertTrue(getJob.denied().stream().anyMatch(d -> d.kind().equals("missing_key_403")
                    && d.resource().equals("arn:aws:s3:::" + app.bucket() + "/" + key)), getJob.denied().toString());
            assertEquals(0, app.iamReport().denied_calls(), app.iamReport().verdict());
        }
    }
}
