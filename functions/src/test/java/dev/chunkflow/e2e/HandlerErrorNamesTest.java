package dev.chunkflow.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.io.S3Io;
import dev.chunkflow.pipeline.plan.FanOutSettings;
import dev.chunkflow.pipeline.plan.FinishPlanHandler;
import dev.chunkflow.pipeline.plan.GetChunksHandler;
import dev.chunkflow.pipeline.plan.GetChunksService;
import dev.chunkflow.pipeline.plan.PlanPartitionHandler;
import dev.chunkflow.pipeline.plan.ShuffleSplitHandler;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.pipeline.summarize.SummarizeHandler;
import dev.chunkflow.jobs.UpdateJobHandler;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

/**
 * The rule for Step Functions error names (docs/pipeline.md): the Java runtime reports a thrown
 * exception's class name as the error, and what a task raises for bad input or a broken run must be one
 * of chunkflow's named errors ({@code dev.chunkflow.*}), never a generic {@code java.*} exception that
 * a Catch or a person cannot tell from a bug. Every task handler gets bad input of every kind we could
 * think of, including stored run objects that are not what they should be.
 */
@ExtendWith(AwsExtension.class)
class HandlerErrorNamesTest {

    private static Throwable thrown(RequestStreamHandler handler, String input) {
        try {
            handler.handleRequest(new ByteArrayInputStream(input.getBytes(StandardCharsets.UTF_8)), new ByteArrayOutputStream(), null);
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @Test
    void badInputRaisesOnlyChunkflowErrors(EmbeddedAws aws) {
        String prefix = "input/error-names/";
        TestData.upload(aws, prefix, SampleDataGenerator.Config.of(300, 3));
        TestData.invoke(new GetChunksHandler(aws.clients()),
                "{\"job_id\":\"err-planned\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":100}");
        // a fan-out started (threshold 1 byte) but none of its steps run; and a broken fan-out plan
        TestData.invoke(new GetChunksHandler(new GetChunksService(new S3Io(aws.clients().s3()), EmbeddedAws.DEFAULT_BUCKET,
                        GetChunksService.Settings.fromEnv(aws.clients().env())).withFanOut(new FanOutSettings(1, 1, 1 << 20, 256))),
                "{\"job_id\":\"err-fan\",\"source\":{\"prefix\":\"" + prefix + "\"}}");
        TestData.put(aws, RunLayout.fanOutPlanKey("err-fan-broken"), "{not json");
        // a run whose stored objects are broken
        TestData.put(aws, RunLayout.manifestKey("err-broken"), "{not json");
        TestData.put(aws, RunLayout.manifestKey("err-empty"), "");
        TestData.put(aws, RunLayout.resultKey("err-planned", 0), "[]");

        Map<String, RequestStreamHandler> handlers = new LinkedHashMap<>();
        handlers.put("GetChunks", new GetChunksHandler(aws.clients()));
        handlers.put("ProcessChunk", new ProcessChunkHandler(aws.clients()));
        handlers.put("Summarize", new SummarizeHandler(aws.clients()));
        handlers.put("UpdateJob", new UpdateJobHandler(aws.clients()));
        handlers.put("ShuffleSplit", new ShuffleSplitHandler(aws.clients()));
        handlers.put("PlanPartition", new PlanPartitionHandler(aws.clients()));
        handlers.put("FinishPlan", new FinishPlanHandler(aws.clients()));
        String split = "{\"split\":0,\"source_index\":0,\"key\":\"" + prefix + "visits-0000.csv\",\"etag\":\"x\",\"size\":10,"
                + "\"start\":0,\"end\":10}";
        List<String> common = List.of("", " ", "not json", "[]", "[1]", "42", "\"text\"", "null", "{}", "{\"job_id\":null}",
                "{\"job_id\":5}", "{\"job_id\":\"\"}", "{\"job_id\":\"a/b\"}", "{\"job_id\":\"" + "x".repeat(200) + "\"}",
                "{\"job_id\":\"ok\",", "{\"job_id\":{\"a\":1}}", "{\"job_id\":[\"x\"]}");
        Map<String, List<String>> specific = Map.of(
                "ShuffleSplit", List.of("{\"job_id\":\"err-fan\"}", "{\"job_id\":\"err-fan\",\"split\":5}",
                        "{\"job_id\":\"err-fan\",\"split\":{}}", "{\"job_id\":\"err-never\",\"split\":" + split + "}",
                        "{\"job_id\":\"err-fan-broken\",\"split\":" + split + "}",
                        "{\"job_id\":\"err-fan\",\"split\":" + split + "}",
                        "{\"job_id\":\"err-fan\",\"split\":" + split.replace("\"split\":0", "\"split\":99") + "}",
                        "{\"job_id\":\"err-fan\",\"split\":" + split.replace("visits-0000", "none") + "}",
                        "{\"job_id\":\"err-fan\",\"split\":" + split.replace("\"end\":10", "\"end\":11") + "}"),
                "PlanPartition", List.of("{\"job_id\":\"err-fan\"}", "{\"job_id\":\"err-fan\",\"partition\":-1}",
                        "{\"job_id\":\"err-fan\",\"partition\":\"0\"}", "{\"job_id\":\"err-fan\",\"partition\":0}",
                        "{\"job_id\":\"err-fan\",\"partition\":255}", "{\"job_id\":\"err-never\",\"partition\":0}",
                        "{\"job_id\":\"err-fan-broken\",\"partition\":0}"),
                "FinishPlan", List.of("{\"job_id\":\"err-fan\"}", "{\"job_id\":\"err-fan\",\"step\":\"other\"}",
                        "{\"job_id\":\"err-fan\",\"step\":5}", "{\"job_id\":\"err-fan\",\"step\":\"collect\"}",
                        "{\"job_id\":\"err-fan\",\"step\":\"number\"}", "{\"job_id\":\"err-never\",\"step\":\"collect\"}",
                        "{\"job_id\":\"err-fan-broken\",\"step\":\"number\"}"),
                "GetChunks", List.of("{\"job_id\":\"e1\"}", "{\"job_id\":\"e1\",\"source\":5}", "{\"job_id\":\"e1\",\"source\":{}}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":7}}", "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"../x\"}}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"input/none/\"}}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"" + prefix + "\",\"bucket\":\"No_Such\"}}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":\"x\"}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":-1}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":1e30}",
                        "{\"job_id\":\"e1\",\"source\":{\"prefix\":\"" + prefix + "\"},\"target_rows_per_chunk\":2.5}"),
                "ProcessChunk", List.of("{\"job_id\":\"err-planned\"}", "{\"job_id\":\"err-planned\",\"chunk_id\":\"0\"}",
                        "{\"job_id\":\"err-planned\",\"chunk_id\":-1}", "{\"job_id\":\"err-planned\",\"chunk_id\":99999999999}",
                        "{\"job_id\":\"err-planned\",\"chunk_id\":0.5}", "{\"job_id\":\"err-planned\",\"chunk_id\":1000}",
                        "{\"job_id\":\"err-never\",\"chunk_id\":0}", "{\"job_id\":\"err-broken\",\"chunk_id\":0}",
                        "{\"job_id\":\"err-empty\",\"chunk_id\":0}",
                        "{\"Items\":\"x\",\"BatchInput\":{\"job_id\":\"err-planned\"}}", "{\"Items\":[],\"BatchInput\":{\"job_id\":\"err-planned\"}}",
                        "{\"Items\":[0]}", "{\"Items\":[0],\"BatchInput\":5}", "{\"Items\":[\"a\"],\"BatchInput\":{\"job_id\":\"err-planned\"}}",
                        "{\"Items\":[0],\"BatchInput\":{\"job_id\":\"err-planned\"},\"child_started\":\"yesterday\"}",
                        "{\"Items\":[0],\"BatchInput\":{\"job_id\":\"err-planned\"},\"child_started\":5}"),
                "Summarize", List.of("{\"job_id\":\"err-never\"}", "{\"job_id\":\"err-broken\"}", "{\"job_id\":\"err-empty\"}",
                        "{\"job_id\":\"err-planned\"}", "{\"job_id\":\"err-planned\",\"unprocessed_pass\":-1}",
                        "{\"job_id\":\"err-planned\",\"unprocessed_pass\":\"x\"}", "{\"job_id\":\"err-broken\",\"unprocessed_pass\":0}"),
                "UpdateJob", List.of("{\"job_id\":\"u1\",\"status\":\"NOPE\"}", "{\"job_id\":\"u1\",\"status\":5}",
                        "{\"job_id\":\"u1\",\"fields\":5}", "{\"job_id\":\"u1\",\"fields\":{\"bad name\":1}}",
                        "{\"job_id\":\"u1\",\"append_steps\":{}}", "{\"job_id\":\"u1\",\"append_steps\":[5]}",
                        "{\"job_id\":\"u1\",\"counters\":{\"rows\":\"x\"}}", "{\"job_id\":\"u1\",\"error\":5}",
                        "{\"job_id\":\"u1\",\"unknown\":1}"));

        List<String> leaks = new ArrayList<>();
        handlers.forEach((name, handler) -> {
            List<String> inputs = new ArrayList<>(common);
            inputs.addAll(specific.get(name));
            for (String input : inputs) {
                Throwable t = thrown(handler, input);
                if (t != null && !t.getClass().getName().startsWith("dev.chunkflow.")) {
                    leaks.add(name + " <- " + abbreviate(input) + ": " + t.getClass().getName() + ": " + t.getMessage());
                }
            }
        });
        assertTrue(leaks.isEmpty(), "error types a Step Functions Catch would see, not chunkflow's named errors:\n"
                + String.join("\n", leaks));
    }

    private static String abbreviate(String s) {
        return s.length() > 80 ? s.substring(0, 80) + "..." : s;
    }
}
