package dev.chunkflow.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.e2e.TestData;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;
import dev.chunkflow.pipeline.summarize.SummarizeHandler;
import dev.chunkflow.offload.JsonObjects;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import dev.chunkflow.testkit.MissingKeyAs403;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * A missing key read by a role without s3:ListBucket: S3 answers 403 AccessDenied, and chunkflow's reads
 * treat it as missing, as they treat 404 (MissingKeyAs403 makes the local server answer as AWS does).
 */
@ExtendWith(AwsExtension.class)
class MissingObjectsTest {
    private AwsClients forbidden;

    @BeforeEach
    void clients(EmbeddedAws aws) {
        forbidden = new AwsClients(aws.env(), List.of(new MissingKeyAs403()));
    }

    @AfterEach
    void close() {
        forbidden.close();
    }

    @Test
    void theInjectedFaultIsWhatS3AnswersWithoutListBucket(EmbeddedAws aws) {
        S3Exception get = assertThrows(S3Exception.class,
                () -> forbidden.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("jobs/none/x.json")));
        assertEquals(403, get.statusCode());
        assertEquals("AccessDenied", get.awsErrorDetails().errorCode());
        assertFalse(get instanceof NoSuchKeyException);
        assertEquals(403, assertThrows(S3Exception.class,
                () -> forbidden.s3().headObject(b -> b.bucket(aws.bucket()).key("jobs/none/x.json"))).statusCode());
    }

    @Test
    void jsonObjectsAndS3IoReadA403AsMissing(EmbeddedAws aws) {
        JsonObjects objects = new JsonObjects(forbidden::s3, forbidden::presigner, aws.bucket());
        assertFalse(objects.exists("jobs/none/steps.json"));
        assertTrue(objects.get("jobs/none/steps.json").isEmpty());
        TestData.put(aws, "jobs/some/steps.json", "[]");
        assertTrue(objects.exists("jobs/some/steps.json"));
        S3Io io = new S3Io(forbidden.s3());
        assertThrows(NoSuchKeyException.class, () -> io.getBytes(aws.bucket(), "runs/none/chunks/manifest.json"));
        assertThrows(NoSuchKeyException.class, () -> io.open(aws.bucket(), "runs/none/chunks/manifest.json"));
    }

    @Test
    void processChunkAndSummarizeWithoutAPlanAreInvalidInputNotAnS3Error(EmbeddedAws aws) {
        InvalidInput chunk = assertThrows(InvalidInput.class, () -> TestData.invoke(new ProcessChunkHandler(forbidden),
                "{\"job_id\":\"never-planned-403\",\"chunk_id\":0}"));
        assertEquals("job_id", chunk.field());
        InvalidInput batch = assertThrows(InvalidInput.class, () -> TestData.invoke(new ProcessChunkHandler(forbidden),
                "{\"Items\":[0,1],\"BatchInput\":{\"job_id\":\"never-planned-403\"}}"));
        assertEquals("job_id", batch.field());
        InvalidInput summarize = assertThrows(InvalidInput.class, () -> TestData.invoke(new SummarizeHandler(forbidden),
                "{\"job_id\":\"never-planned-403\"}"));
        assertEquals("job_id", summarize.field());
    }
}
