package dev.chunkflow.local.serve;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.lambda.LambdaClient;
import software.amazon.awssdk.services.lambda.model.InvokeResponse;
import software.amazon.awssdk.services.lambda.model.ResourceNotFoundException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;
import software.amazon.awssdk.services.sfn.model.ExecutionDoesNotExistException;
import software.amazon.awssdk.services.sfn.model.ExecutionStatus;
import software.amazon.awssdk.services.sfn.model.HistoryEvent;
import software.amazon.awssdk.services.sfn.model.InvalidArnException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * The Java SDK v2 clients (sfn, lambda, s3, dynamodb) against the edge port: typed exceptions, the
 * history paginator, FunctionError, S3 through the same port (presigned URLs too), and executions
 * still there after a restart on the same state directory.
 */
class ServeSdkTest {
    private static final StaticCredentialsProvider LOCAL = StaticCredentialsProvider.create(
            AwsBasicCredentials.create(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY));

    @Test
    void sdkClientsWorkAgainstTheEdgePortAndExecutionsSurviveARestart(@TempDir Path dir) throws Exception {
        String executionArn;
        String smArn;
        try (ServeStack stack = ServeFixture.start(dir);
             SfnClient sfn = SfnClient.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1).credentialsProvider(LOCAL)
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             LambdaClient lambda = LambdaClient.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(LOCAL).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             S3Client s3 = S3Client.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1).credentialsProvider(LOCAL)
                     .forcePathStyle(true).httpClientBuilder(UrlConnectionHttpClient.builder()).build();
             DynamoDbClient ddb = DynamoDbClient.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1)
                     .credentialsProvider(LOCAL).httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            smArn = sfn.listStateMachines().stateMachines().get(0).stateMachineArn();
            // Without a job_id the definition's CheckInput routes to RejectInput (a Fail state).
            executionArn = sfn.startExecution(b -> b.stateMachineArn(smArn).name("sdk-bad").input("{\"source\": {\"prefix\": \"x/\"}}"))
                    .executionArn();
            stack.executions().await(executionArn, 1, TimeUnit.MINUTES);
            var described = sfn.describeExecution(b -> b.executionArn(executionArn));
            assertEquals(ExecutionStatus.FAILED, described.status());
            assertEquals("dev.chunkflow.common.InvalidInput", described.error());
            assertTrue(described.stopDate().compareTo(described.startDate()) >= 0);
            List<HistoryEvent> events = sfn.getExecutionHistoryPaginator(b -> b.executionArn(executionArn).maxResults(2)).events()
                    .stream().toList();
            assertEquals("ExecutionStarted", events.get(0).typeAsString());
            assertEquals("ExecutionFailed", events.get(events.size() - 1).typeAsString());
            assertEquals("dev.chunkflow.common.InvalidInput", events.get(events.size() - 1).executionFailedEventDetails().error());
            assertTrue(events.stream().anyMatch(e -> e.stateEnteredEventDetails() != null
                    && "RejectInput".equals(e.stateEnteredEventDetails().name())));

            assertThrows(ExecutionAlreadyExistsException.class,
                    () -> sfn.startExecution(b -> b.stateMachineArn(smArn).name("sdk-bad").input("{}")));
            assertThrows(ExecutionDoesNotExistException.class, () -> sfn.describeExecution(b -> b.executionArn(executionArn + "x")));
            assertThrows(InvalidArnException.class, () -> sfn.describeExecution(b -> b.executionArn("arn:nope")));
            SfnException wrong = assertThrows(SfnException.class, () -> SfnClient.builder().endpointOverride(stack.endpoint())
                    .region(Region.US_EAST_1).httpClientBuilder(UrlConnectionHttpClient.builder())
                    .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ServeStack.ACCESS_KEY, "wrong")))
                    .build().listStateMachines());
            assertEquals("InvalidSignatureException", wrong.awsErrorDetails().errorCode());

            InvokeResponse failed = lambda.invoke(b -> b.functionName("GetChunksFunction:live").payload(SdkBytes.fromUtf8String("{}")));
            assertEquals(200, failed.statusCode());
            assertEquals("Unhandled", failed.functionError());
            assertTrue(failed.payload().asUtf8String().contains("dev.chunkflow.common.InvalidInput"));
            assertThrows(ResourceNotFoundException.class, () -> lambda.getFunction(b -> b.functionName("Missing")));
            assertEquals(stack.app().functions().size(), lambda.listFunctions().functions().size());

            String bucket = stack.app().bucket();
            s3.putObject(b -> b.bucket(bucket).key("sdk/hello.txt"), RequestBody.fromString("hello through the edge"));
            assertEquals("hello through the edge", s3.getObjectAsBytes(b -> b.bucket(bucket).key("sdk/hello.txt")).asUtf8String());
            try (S3Presigner presigner = S3Presigner.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1)
                    .credentialsProvider(LOCAL).serviceConfiguration(software.amazon.awssdk.services.s3.S3Configuration.builder()
                            .pathStyleAccessEnabled(true).build()).build()) {
                URI url = presigner.presignGetObject(b -> b.signatureDuration(Duration.ofMinutes(5))
                        .getObjectRequest(g -> g.bucket(bucket).key("sdk/hello.txt"))).url().toURI();
                HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(url).build(), HttpResponse.BodyHandlers.ofString());
                assertEquals(200, r.statusCode());
                assertEquals("hello through the edge", r.body());
            }

            ddb.putItem(b -> b.tableName(stack.app().table()).item(Map.of("job_id", AttributeValue.fromS("sdk-item"),
                    "status", AttributeValue.fromS("QUEUED"))));
            assertEquals("QUEUED", stack.app().aws().dynamoDb().getItem(b -> b.tableName(stack.app().table())
                    .key(Map.of("job_id", AttributeValue.fromS("sdk-item")))).item().get("status").s(), "the same table behind the port");
        }

        try (ServeStack again = ServeFixture.start(dir);
             SfnClient sfn = SfnClient.builder().endpointOverride(again.endpoint()).region(Region.US_EAST_1).credentialsProvider(LOCAL)
                     .httpClientBuilder(UrlConnectionHttpClient.builder()).build()) {
            assertEquals(ExecutionStatus.FAILED, sfn.describeExecution(b -> b.executionArn(executionArn)).status(), "after a restart");
            assertEquals(1, sfn.listExecutions(b -> b.stateMachineArn(smArn)).executions().size());
            assertTrue(sfn.getExecutionHistory(b -> b.executionArn(executionArn)).events().size() > 5);
        }
    }
}
