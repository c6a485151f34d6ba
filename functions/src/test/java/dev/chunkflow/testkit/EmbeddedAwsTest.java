package dev.chunkflow.testkit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;

@ExtendWith(AwsExtension.class)
class EmbeddedAwsTest {

    @Test
    void s3RoundTripThroughRealSdkAndPresignedUrl(EmbeddedAws aws) throws Exception {
        byte[] body = "hello chunkflow".getBytes(StandardCharsets.UTF_8);
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key("testkit/hello.txt"), RequestBody.fromBytes(body));
        assertArrayEquals(body, aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("testkit/hello.txt")).asByteArray());
        assertThrows(NoSuchKeyException.class, () -> aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("testkit/missing")));

        URI url = aws.clients().presigner().presignGetObject(p -> p.signatureDuration(Duration.ofMinutes(5))
                .getObjectRequest(g -> g.bucket(aws.bucket()).key("testkit/hello.txt"))).url().toURI();
        HttpClient http = HttpClient.newHttpClient();
        HttpResponse<byte[]> ok = http.send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(200, ok.statusCode());
        assertArrayEquals(body, ok.body());
        URI tampered = URI.create(url.toString().replace("X-Amz-Signature=", "X-Amz-Signature=0"));
        assertEquals(403, http.send(HttpRequest.newBuilder(tampered).build(), HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    @Test
    void dynamoDbEnforcesConditionsAndItemLimit(EmbeddedAws aws) {
        Map<String, AttributeValue> item = Map.of("job_id", AttributeValue.fromS("testkit-cond"));
        aws.dynamoDb().putItem(b -> b.tableName(aws.table()).item(item).conditionExpression("attribute_not_exists(job_id)"));
        assertThrows(ConditionalCheckFailedException.class, () -> aws.dynamoDb().putItem(
                b -> b.tableName(aws.table()).item(item).conditionExpression("attribute_not_exists(job_id)")));
        Map<String, AttributeValue> huge = Map.of("job_id", AttributeValue.fromS("testkit-huge"),
                "blob", AttributeValue.fromS("x".repeat(410_000)));
        var e = assertThrows(software.amazon.awssdk.services.dynamodb.model.DynamoDbException.class,
                () -> aws.dynamoDb().putItem(b -> b.tableName(aws.table()).item(huge)));
        org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("Item size has exceeded"), e.getMessage());
    }
}
