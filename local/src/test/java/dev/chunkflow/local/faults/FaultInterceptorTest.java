package dev.chunkflow.local.faults;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chunkflow.io.S3Io;
import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.local.run.AwsRequestCounter;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Each fault kind on real SDK clients against the embedded S3 and DynamoDB: what the handler sees,
 * how many HTTP attempts the SDK made, and whether the request was applied.
 */
class FaultInterceptorTest {
    private static EmbeddedAws aws;
    private final List<String> crashes = new ArrayList<>();
    private AwsClients clients;
    private AwsRequestCounter attempts;
    private FaultInterceptor faults;

    @BeforeAll
    static void start() throws Exception {
        aws = EmbeddedAws.inMemory();
    }

    @AfterAll
    static void stop() throws Exception {
        aws.close();
    }

    @AfterEach
    void closeClients() {
        if (clients != null) {
            clients.close();
        }
    }

    private void clients(FaultInterceptor interceptor) {
        attempts = new AwsRequestCounter();
        faults = interceptor;
        clients = new AwsClients(aws.env(), List.of(attempts, interceptor));
    }

    private void faultAtFirstCall(FaultKind kind, FaultScope scope) {
        clients(new FaultInterceptor(where -> {
            crashes.add(where);
            throw new SandboxCrash(where);
        }));
        faults.begin(InvocationFaults.at(1, kind, scope));
    }

    private void put(String key, String body) {
        clients.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString(body));
    }

    private boolean itemExists(String id) {
        return aws.dynamoDb().getItem(b -> b.tableName(aws.table()).consistentRead(true)
                .key(Map.of("job_id", AttributeValue.fromS(id)))).hasItem();
    }

    private void putItem(String id, boolean onlyIfAbsent) {
        clients.dynamoDb().putItem(b -> {
            b.tableName(aws.table()).item(Map.of("job_id", AttributeValue.fromS(id)));
            if (onlyIfAbsent) {
                b.conditionExpression("attribute_not_exists(job_id)");
            }
        });
    }

    @Test
    void s3SlowDownOnEveryAttemptReachesTheCallerAndWritesNothing() {
        faultAtFirstCall(FaultKind.S3_SLOW_DOWN, FaultScope.CALL);
        S3Exception e = assertThrows(S3Exception.class, () -> put("faults/slowdown", "x"));
        assertEquals(503, e.statusCode());
        assertEquals("SlowDown", e.awsErrorDetails().errorCode());
        assertTrue(attempts.snapshot().get("S3.PutObject") >= 2, "the SDK retried a 503: " + attempts.snapshot());
        assertFalse(new S3Io(aws.s3()).exists(aws.bucket(), "faults/slowdown"));
        assertEquals(List.of("1 S3.PutObject s3-503"), faults.injected());
    }

    @Test
    void s3SlowDownOnOneAttemptIsAbsorbedByTheSdksRetry() {
        faultAtFirstCall(FaultKind.S3_SLOW_DOWN, FaultScope.ATTEMPT);
        put("faults/slowdown-once", "x");
        assertEquals(2L, attempts.snapshot().get("S3.PutObject"));
        assertTrue(new S3Io(aws.s3()).exists(aws.bucket(), "faults/slowdown-once"));
    }

    @Test
    void s3InternalError() {
        faultAtFirstCall(FaultKind.S3_INTERNAL_ERROR, FaultScope.CALL);
        S3Exception e = assertThrows(S3Exception.class, () -> put("faults/500", "x"));
        assertEquals(500, e.statusCode());
        assertEquals("InternalError", e.awsErrorDetails().errorCode());
        assertFalse(new S3Io(aws.s3()).exists(aws.bucket(), "faults/500"));
    }

    @Test
    void dynamoDbThrottlesAreTheModeledExceptionsAndTheSdkRetriesThem() {
        // On every attempt a throttle surfaces only after the SDK's DynamoDB backoff (about a minute): one attempt here.
        ThrottlingException t = assertInstanceOf(ThrottlingException.class, FaultInterceptor.serviceError(FaultKind.DDB_THROTTLING));
        assertEquals("ThrottlingException", t.awsErrorDetails().errorCode());
        assertTrue(t.isThrottlingException());
        assertTrue(FaultInterceptor.serviceError(FaultKind.DDB_THROUGHPUT_EXCEEDED).isThrottlingException());
        for (FaultKind kind : List.of(FaultKind.DDB_THROTTLING, FaultKind.DDB_THROUGHPUT_EXCEEDED)) {
            faultAtFirstCall(kind, FaultScope.ATTEMPT);
            putItem("faults-" + kind.label(), false);
            assertEquals(2L, attempts.snapshot().get("DynamoDb.PutItem"), kind + ": " + attempts.snapshot());
            assertTrue(itemExists("faults-" + kind.label()));
            clients.close();
        }
    }

    @Test
    void dynamoDbInternalErrorOnEveryAttemptReachesTheCallerAndWritesNothing() {
        faultAtFirstCall(FaultKind.DDB_INTERNAL_ERROR, FaultScope.CALL);
        InternalServerErrorException e = assertThrows(InternalServerErrorException.class, () -> putItem("faults-500", false));
        assertEquals(500, e.statusCode());
        assertTrue(attempts.snapshot().get("DynamoDb.PutItem") >= 2, "the SDK retried a 500: " + attempts.snapshot());
        assertFalse(itemExists("faults-500"));
    }

    @Test
    void ambiguousOutcomeIsAppliedThoughTheCallerSeesATimeout() {
        faultAtFirstCall(FaultKind.AMBIGUOUS, FaultScope.CALL);
        SdkClientException e = assertThrows(SdkClientException.class, () -> putItem("faults-ambiguous", false));
        assertInstanceOf(SocketTimeoutException.class, e.getCause());
        assertTrue(itemExists("faults-ambiguous"), "the request was applied");
    }

    @Test
    void ambiguousConditionalWriteRetriedBySdkFailsItsOwnCondition() {
        // The hazard the campaign looks for: the first attempt applied the put, the SDK's retry finds the item.
        faultAtFirstCall(FaultKind.AMBIGUOUS, FaultScope.ATTEMPT);
        assertThrows(ConditionalCheckFailedException.class, () -> putItem("faults-ambiguous-once", true));
        assertTrue(itemExists("faults-ambiguous-once"));
        assertEquals(2L, attempts.snapshot().get("DynamoDb.PutItem"));
    }

    @Test
    void getObjectBodyResetsHalfway() throws IOException {
        byte[] body = new byte[10_000];
        java.util.Arrays.fill(body, (byte) 'a');
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key("faults/reset"), RequestBody.fromBytes(body));
        faultAtFirstCall(FaultKind.GET_RESET, FaultScope.CALL);
        byte[] buf = new byte[20_000];
        int read = 0;
        try (InputStream in = clients.s3().getObject(b -> b.bucket(aws.bucket()).key("faults/reset"))) {
            IOException e = assertThrows(IOException.class, () -> {
                int total = 0;
                int n;
                while ((n = in.read(buf, total, buf.length - total)) > 0) {
                    total += n;
                }
            });
            assertTrue(e.getMessage().contains("Connection reset"), e.getMessage());
        }
        faults.end();
        // The next invocation reads the whole object: the fault was at call 1 of the faulted one only.
        faults.begin(InvocationFaults.NONE);
        assertArrayEquals(body, clients.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("faults/reset")).asByteArray());
        assertEquals(0, read);
    }

    @Test
    void crashBeforeTheCallSendsNothingCrashAfterAppliesIt() {
        faultAtFirstCall(FaultKind.CRASH_BEFORE, FaultScope.CALL);
        assertThrows(SandboxCrash.class, () -> put("faults/crash-before", "x"));
        assertFalse(new S3Io(aws.s3()).exists(aws.bucket(), "faults/crash-before"));
        assertEquals(List.of("before SDK call 1 (S3.PutObject)"), crashes);
        clients.close();

        crashes.clear();
        faultAtFirstCall(FaultKind.CRASH_AFTER, FaultScope.CALL);
        assertThrows(SandboxCrash.class, () -> put("faults/crash-after", "x"));
        assertTrue(new S3Io(aws.s3()).exists(aws.bucket(), "faults/crash-after"));
        assertEquals(List.of("after SDK call 1 (S3.PutObject)"), crashes);
    }

    @Test
    void aCrashedInProcessEnvironmentRefusesEveryFurtherCall() {
        clients(FaultInterceptor.inProcess());
        faults.begin(InvocationFaults.at(1, FaultKind.CRASH_AFTER, FaultScope.CALL));
        assertThrows(SandboxCrash.class, () -> put("faults/crashed-1", "x"));
        assertTrue(faults.crashed());
        assertThrows(SandboxCrash.class, () -> put("faults/crashed-2", "x"));
        assertFalse(new S3Io(aws.s3()).exists(aws.bucket(), "faults/crashed-2"));
    }

    @Test
    void randomFaultsAreTheSameForTheSameSeed() {
        List<List<String>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            clients(new FaultInterceptor(where -> {
                throw new SandboxCrash(where);
            }));
            faults.begin(InvocationFaults.random(0.3, 42, FaultScope.ATTEMPT));
            for (int i = 0; i < 20; i++) {
                try {
                    put("faults/random-" + i, "x");
                } catch (RuntimeException | SandboxCrash e) {
                    // the faults are what is compared
                }
            }
            faults.end();
            runs.add(faults.injected());
            clients.close();
            clients = null;
        }
        assertFalse(runs.get(0).isEmpty());
        assertEquals(runs.get(0), runs.get(1));
    }

    @Test
    void faultLineRoundTrips() {
        InvocationFaults f = new InvocationFaults(List.of(new InvocationFaults.CallFault(3, FaultKind.S3_SLOW_DOWN),
                new InvocationFaults.CallFault(5, FaultKind.CRASH_AFTER)), 0.05, 7, FaultScope.ATTEMPT);
        assertEquals(f, InvocationFaults.parse(f.encode()));
        assertEquals(InvocationFaults.NONE, InvocationFaults.parse(""));
    }
}
