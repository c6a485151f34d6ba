package dev.chunkflow.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

@ExtendWith(AwsExtension.class)
class S3IoTest {

    /**
     * Hundreds of back-to-back writes on one kept-alive client: without the I/O retry, the
     * url-connection client fails some of them with "Unexpected end of file from server" (observed
     * after 50-260 PUTs against the embedded server).
     */
    @Test
    void manySequentialWritesAllLand(EmbeddedAws aws) {
        S3Io s3 = new S3Io(aws.s3());
        for (int i = 0; i < 600; i++) {
            s3.put(aws.bucket(), "s3io/many/" + i, new byte[100], "application/octet-stream");
        }
        assertEquals(600, s3.list(aws.bucket(), "s3io/many/").size());
    }

    @Test
    void putIfAbsentCreatesOnceThenReportsExisting(EmbeddedAws aws) {
        S3Io s3 = new S3Io(aws.s3());
        byte[] first = "first".getBytes(StandardCharsets.UTF_8);
        assertTrue(s3.putIfAbsent(aws.bucket(), "s3io/once.json", first, "application/json"));
        assertFalse(s3.putIfAbsent(aws.bucket(), "s3io/once.json", "second".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertArrayEquals(first, s3.getBytes(aws.bucket(), "s3io/once.json"));
    }
}
