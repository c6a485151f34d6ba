package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;

/** Distributed Map against the embedded S3 server: ItemReader, ItemBatcher, ResultWriter, child executions. */
@ExtendWith(AwsExtension.class)
class AslDistributedMapTest {
    private static final String FN = "arn:aws:lambda:us-east-1:123456789012:function:Chunk";

    private static JsonNode s3Json(EmbeddedAws aws, String key) {
        return AslJson.parse(aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asByteArray());
    }

    @Test
    void resultWriterWritesManifestAndResultFilesLikeAws(EmbeddedAws aws) {
        String prefix = "asl-tests/" + UUID.randomUUID();
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(prefix + "/ids.csv"),
                RequestBody.fromString("chunk_id\n0\n1\n2\n3\nbad\n", StandardCharsets.UTF_8));
        String def = """
                {"StartAt":"Chunks","States":{"Chunks":{"Type":"Map","Label":"Chunks","MaxConcurrency":3,"ToleratedFailurePercentage":50,
                  "ItemReader":{"Resource":"arn:aws:states:::s3:getObject","ReaderConfig":{"InputType":"CSV","CSVHeaderLocation":"FIRST_ROW"},
                                "Parameters":{"Bucket.$":"$.bucket","Key.$":"States.Format('{}/ids.csv', $.prefix)"}},
                  "ItemBatcher":{"MaxItemsPerBatch":2,"BatchInput":{"job.$":"$.job"}},
                  "ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"STANDARD"},"StartAt":"Work","States":{
                     "Work":{"Type":"Task","Resource":"%s","End":true}}},
                  "ResultWriter":{"Resource":"arn:aws:states:::s3:putObject","Parameters":{"Bucket.$":"$.bucket","Prefix.$":"States.Format('{}/map-results/', $.prefix)"}},
                  "ResultPath":"$.map","End":true}}}""".formatted(FN);
        LambdaInvoker invoker = (fn, payload) -> {
            JsonNode in = AslJson.parse(payload);
            for (JsonNode item : in.path("Items")) {
                if (item.path("chunk_id").asText().equals("bad")) {
                    throw TaskFailure.functionError("dev.chunkflow.common.InvalidInput", "chunk_id: not a number");
                }
            }
            return ("{\"done\":" + in.path("Items").size() + ",\"job\":\"" + in.path("BatchInput").path("job").asText() + "\"}")
                    .getBytes(StandardCharsets.UTF_8);
        };
        String input = "{\"bucket\":\"" + aws.bucket() + "\",\"prefix\":\"" + prefix + "\",\"job\":\"j-1\"}";
        ExecutionResult r;
        try (AslEngine engine = AslEngine.builder().lambdaInvoker(invoker).s3(aws.s3()).stateMachineName("etl")
                .timeSource(TimeSource.virtual(Instant.now())).recordHistory(true).build()) {
            r = engine.execute(StateMachine.parse(def), input, "exec-1");
        }
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
        JsonNode map = r.output().path("map");
        String mapRunArn = map.path("MapRunArn").asText();
        assertTrue(mapRunArn.startsWith("arn:aws:states:us-east-1:123456789012:mapRun:etl/Chunks:"), mapRunArn);
        assertEquals(aws.bucket(), map.path("ResultWriterDetails").path("Bucket").asText());
        String manifestKey = map.path("ResultWriterDetails").path("Key").asText();
        String runId = mapRunArn.substring(mapRunArn.lastIndexOf(':') + 1);
        assertEquals(prefix + "/map-results/" + runId + "/manifest.json", manifestKey);

        JsonNode manifest = s3Json(aws, manifestKey);
        assertEquals(aws.bucket(), manifest.path("DestinationBucket").asText());
        assertEquals(mapRunArn, manifest.path("MapRunArn").asText());
        assertEquals(0, manifest.path("ResultFiles").path("PENDING").size());
        String succeededKey = manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Key").asText();
        JsonNode succeeded = s3Json(aws, succeededKey);
        assertEquals(2, succeeded.size());
        JsonNode first = succeeded.get(0);
        assertEquals("SUCCEEDED", first.path("Status").asText());
        assertEquals("{\"done\":2,\"job\":\"j-1\"}", first.path("Output").asText());
        assertEquals(AslJson.parse("{\"Items\":[{\"chunk_id\":\"0\"},{\"chunk_id\":\"1\"}],\"BatchInput\":{\"job\":\"j-1\"}}"),
                AslJson.parse(first.path("Input").asText()));
        assertTrue(first.path("ExecutionArn").asText().startsWith("arn:aws:states:us-east-1:123456789012:execution:etl/Chunks:"));
        assertEquals(manifest.path("ResultFiles").path("SUCCEEDED").get(0).path("Size").asLong(),
                aws.s3().headObject(b -> b.bucket(aws.bucket()).key(succeededKey)).contentLength());
        JsonNode failed = s3Json(aws, manifest.path("ResultFiles").path("FAILED").get(0).path("Key").asText());
        assertEquals(1, failed.size());
        assertEquals("dev.chunkflow.common.InvalidInput", failed.get(0).path("Error").asText());
        assertEquals("FAILED", failed.get(0).path("Status").asText());

        // Parent: ExecutionStarted, MapStateEntered, MapStateStarted, MapRunStarted, MapRunSucceeded,
        // MapStateSucceeded, MapStateExited, ExecutionSucceeded. Each child: its own 7-event history.
        assertEquals(8, r.stats().historyEvents());
        assertEquals(3, r.stats().childExecutions());
        assertEquals(7, r.stats().maxChildHistoryEvents());
    }

    @Test
    void aStandardChildOverItsHistoryLimitFailsAndAnExpressChildDoesNot(EmbeddedAws aws) {
        String def = """
                {"StartAt":"M","States":{"M":{"Type":"Map","ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"%s"},
                  "StartAt":"Inc","States":{
                    "Inc":{"Type":"Pass","Parameters":{"n.$":"States.MathAdd($.n, 1)"},"Next":"Check"},
                    "Check":{"Type":"Choice","Choices":[{"Variable":"$.n","NumericLessThan":100,"Next":"Inc"}],"Default":"Done"},
                    "Done":{"Type":"Succeed"}}},"End":true}}}""";
        Limits small = Limits.aws().withHistoryEvents(200);
        try (AslEngine engine = AslEngine.builder().s3(aws.s3()).limits(small).build()) {
            ExecutionResult standard = engine.execute(StateMachine.parse(def.formatted("STANDARD")), "[{\"n\":0}]", "std");
            assertEquals("States.ExceedToleratedFailureThreshold", standard.error());
            assertEquals(200, standard.stats().maxChildHistoryEvents());
            assertEquals("HISTORY_EVENTS", standard.stats().limitViolations().get(0).limit());
            ExecutionResult express = engine.execute(StateMachine.parse(def.formatted("EXPRESS")), "[{\"n\":0}]", "exp");
            assertEquals(ExecutionStatus.SUCCEEDED, express.status());
            assertTrue(express.stats().maxChildHistoryEvents() > 200);
        }
    }
}
