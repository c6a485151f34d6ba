package dev.chunkflow.local.iam;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import dev.chunkflow.io.S3Io;
import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The interceptor on real SDK clients against the embedded S3 and DynamoDB: what a role does not allow
 * fails as AWS fails it and never reaches the server; a missing key is 403 without s3:ListBucket.
 */
class IamInterceptorTest {
    private static final String TEMPLATE = """
            Resources:
              Data: {Type: AWS::S3::Bucket}
              DataPolicy:
                Type: AWS::S3::BucketPolicy
                Properties:
                  Bucket: !Ref Data
                  PolicyDocument:
                    Statement:
                      - Effect: Deny
                        Principal: "*"
                        Action: s3:*
                        Resource: !Sub ${Data.Arn}/locked/*
                      - Effect: Deny
                        Principal: "*"
                        Action: s3:*
                        Resource: [!GetAtt Data.Arn, !Sub "${Data.Arn}/*"]
                        Condition: {Bool: {aws:SecureTransport: "false"}}
              Jobs:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: job_id, KeyType: HASH}]
              Writer:
                Type: AWS::Serverless::Function
                Properties: {Handler: a.B, Runtime: java21, Role: !GetAtt WriterRole.Arn}
              WriterRole:
                Type: AWS::IAM::Role
                Properties:
                  Policies:
                    - PolicyName: writer
                      PolicyDocument:
                        Statement:
                          - Effect: Allow
                            Action: [s3:GetObject, s3:PutObject]
                            Resource: !Sub ${Data.Arn}/*
                          - Effect: Allow
                            Action: dynamodb:GetItem
                            Resource: !GetAtt Jobs.Arn
                          - Effect: Allow
                            Action: s3:DeleteObject
                            Resource: !Sub ${Data.Arn}/open/*
              Lister:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.B
                  Runtime: java21
                  Policies:
                    - Statement:
                        - {Effect: Allow, Action: s3:GetObject, Resource: !Sub "${Data.Arn}/*"}
                        - {Effect: Allow, Action: s3:ListBucket, Resource: !GetAtt Data.Arn}
            """;

    private static EmbeddedAws aws;
    private static IamEnforcement iam;
    private static AwsClients writer;
    private static AwsClients lister;

    @BeforeAll
    static void start() throws Exception {
        aws = EmbeddedAws.inMemory();
        SamTemplate t = SamTemplate.parse(TEMPLATE, Path.of("."));
        iam = IamEnforcement.fromTemplate(t, TemplateRolesTest.localNames(t, aws.bucket(), aws.table()),
                "stack", "us-east-1", "000000000000");
        writer = new AwsClients(aws.env(), List.of(iam.interceptor("Writer")));
        lister = new AwsClients(aws.env(), List.of(iam.interceptor("Lister")));
    }

    @AfterAll
    static void stop() throws Exception {
        writer.close();
        lister.close();
        aws.close();
    }

    private void put(AwsClients c, String key) {
        c.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString("x"));
    }

    @Test
    void allowedCallsPassAndDeniedOnesFailAsS3FailsThemWithoutReachingTheServer() {
        assertDoesNotThrow(() -> put(writer, "open/a.txt"));
        assertEquals("x", writer.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("open/a.txt")).asUtf8String());

        S3Exception locked = assertThrows(S3Exception.class, () -> put(writer, "locked/a.txt"));
        assertEquals(403, locked.statusCode());
        assertEquals("AccessDenied", locked.awsErrorDetails().errorCode());
        assertTrue(locked.getMessage().startsWith("User: arn:aws:sts::000000000000:assumed-role/stack-WriterRole/Writer"
                + " is not authorized to perform: s3:PutObject on resource: \"arn:aws:s3:::" + aws.bucket()
                + "/locked/a.txt\" with an explicit deny in a resource-based policy"), locked.getMessage());
        assertTrue(!new S3Io(aws.s3()).exists(aws.bucket(), "locked/a.txt"), "a denied PutObject must not write");

        S3Exception list = assertThrows(S3Exception.class, () -> writer.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("open/")));
        assertTrue(list.getMessage().contains("s3:ListBucket on resource: \"arn:aws:s3:::" + aws.bucket() + "\""
                + " because no identity-based policy allows the s3:ListBucket action"), list.getMessage());
        assertEquals(1, lister.s3().listObjectsV2(b -> b.bucket(aws.bucket()).prefix("open/")).keyCount());
    }

    @Test
    void deleteObjectsIsAuthorizedPerKeyAndReportsDeniedKeysAsS3Does() {
        put(writer, "open/d1");
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key("keep/d2"), RequestBody.fromString("x"));
        var mixed = writer.s3().deleteObjects(b -> b.bucket(aws.bucket()).delete(d -> d.objects(
                ObjectIdentifier.builder().key("open/d1").build(), ObjectIdentifier.builder().key("keep/d2").build())));
        assertEquals(List.of("open/d1"), mixed.deleted().stream().map(x -> x.key()).toList());
        assertEquals(1, mixed.errors().size());
        assertEquals("keep/d2", mixed.errors().get(0).key());
        assertEquals("AccessDenied", mixed.errors().get(0).code());
        assertTrue(mixed.errors().get(0).message().contains("s3:DeleteObject on resource"), mixed.errors().get(0).message());
        assertTrue(!new S3Io(aws.s3()).exists(aws.bucket(), "open/d1"));
        assertTrue(new S3Io(aws.s3()).exists(aws.bucket(), "keep/d2"), "a denied key must not be deleted");

        var allDenied = writer.s3().deleteObjects(b -> b.bucket(aws.bucket()).delete(d -> d.objects(
                ObjectIdentifier.builder().key("keep/d2").build())));
        assertTrue(allDenied.deleted().isEmpty(), allDenied.toString());
        assertEquals(List.of("keep/d2"), allDenied.errors().stream().map(x -> x.key()).toList());
        assertTrue(new S3Io(aws.s3()).exists(aws.bucket(), "keep/d2"));
    }

    @Test
    void aMissingKeyIs403WithoutListBucketAnd404WithIt() {
        S3Exception get = assertThrows(S3Exception.class, () -> writer.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("nope/k")));
        assertEquals(403, get.statusCode());
        assertEquals("AccessDenied", get.awsErrorDetails().errorCode());
        S3Exception head = assertThrows(S3Exception.class, () -> writer.s3().headObject(b -> b.bucket(aws.bucket()).key("nope/k")));
        assertEquals(403, head.statusCode());

        NoSuchKeyException missing = assertThrows(NoSuchKeyException.class,
                () -> lister.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key("nope/k")));
        assertEquals(404, missing.statusCode());
        S3Exception headMissing = assertThrows(S3Exception.class, () -> lister.s3().headObject(b -> b.bucket(aws.bucket()).key("nope/k")));
        assertEquals(404, headMissing.statusCode());
    }

    @Test
    void dynamoDbDeniesWithAccessDeniedException() {
        Map<String, AttributeValue> key = Map.of("job_id", AttributeValue.fromS("j1"));
        assertDoesNotThrow(() -> writer.dynamoDb().getItem(b -> b.tableName(aws.table()).key(key)));
        DynamoDbException e = assertThrows(DynamoDbException.class, () -> writer.dynamoDb().updateItem(b -> b.tableName(aws.table())
                .key(key).updateExpression("SET s = :s").expressionAttributeValues(Map.of(":s", AttributeValue.fromS("x")))));
        assertEquals(400, e.statusCode());
        assertEquals("AccessDeniedException", e.awsErrorDetails().errorCode());
        assertTrue(e.getMessage().contains("is not authorized to perform: dynamodb:UpdateItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table/"
                + aws.table() + " because no identity-based policy allows the dynamodb:UpdateItem action"), e.getMessage());
        assertTrue(aws.dynamoDb().getItem(b -> b.tableName(aws.table()).key(key)).item().isEmpty(), "a denied UpdateItem must not write");
    }

    @Test
    void theReportListsUsedDeniedAndUnusedGrantsPerPrincipal() {
        put(writer, "report/x");
        assertThrows(S3Exception.class, () -> put(writer, "locked/report"));
        IamReport r = iam.report();
        IamReport.PrincipalReport w = r.principals().get("Writer");
        assertTrue(w.active());
        assertTrue(w.used().stream().anyMatch(u -> u.action().equals("s3:PutObject") && u.resource().equals("arn:aws:s3:::" + aws.bucket() + "/*")
                && u.calls() >= 1 && u.granted_by().equals("WriterRole/writer#0")), w.used().toString());
        assertTrue(w.denied().stream().anyMatch(d -> d.kind().equals("denied") && d.action().equals("s3:PutObject")
                && d.resource().endsWith("/locked/report")), w.denied().toString());
        assertTrue(r.denied_calls() >= 1);
        assertTrue(r.verdict().contains("DENIED"), r.verdict());
    }
}
