package dev.chunkflow.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/** Roles read from a template as AWS holds them after the SAM transform, and evaluated. */
class TemplateRolesTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();
    private static final String ACCOUNT = "000000000000";
    private static final String TABLE_ARN = "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/jobs";

    /** What the local runner resolves: bucket "data", table "jobs", functions by logical id, parameter defaults. */
    static TemplateValue.Resolver localNames(SamTemplate t) {
        return localNames(t, "data", "jobs");
    }

    static TemplateValue.Resolver localNames(SamTemplate t, String bucket, String table) {
        return new TemplateValue.Resolver() {
            @Override
            public String ref(String name) {
                return switch (name) {
                    case "AWS::Region" -> "us-east-1";
                    case "AWS::AccountId" -> ACCOUNT;
                    case "AWS::StackName" -> "stack";
                    case "AWS::Partition" -> "aws";
                    default -> {
                        if (t.parameters().containsKey(name)) {
                            yield t.parameters().get(name).defaultValue().orElseThrow();
                        }
                        if (t.buckets().containsKey(name)) {
                            yield bucket;
                        }
                        if (t.tables().containsKey(name)) {
                            yield table;
                        }
                        if (t.stateMachines().containsKey(name)) {
                            yield "arn:aws:states:us-east-1:" + ACCOUNT + ":stateMachine:stack-" + name;
                        }
                        yield name;
                    }
                };
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                if (t.buckets().containsKey(logicalId)) {
                    return "arn:aws:s3:::" + bucket;
                }
                if (t.tables().containsKey(logicalId)) {
                    return "arn:aws:dynamodb:us-east-1:" + ACCOUNT + ":table/" + table;
                }
                throw new IllegalArgumentException("cannot resolve " + logicalId + "." + attribute);
            }
        };
    }

    static IamEnforcement enforcement(SamTemplate t) {
        return IamEnforcement.fromTemplate(t, localNames(t), "stack", "us-east-1", ACCOUNT);
    }

    private static boolean allowed(IamPrincipal p, String action, String resource, Map<String, List<String>> ctx) {
        return PolicyEvaluator.evaluate(p.statements(), new IamRequest(action, resource, ctx)).allowed();
    }

    private static boolean allowed(IamPrincipal p, String action, String resource) {
        return allowed(p, action, resource, Map.of());
    }

    @Test
    void theProjectTemplatesRolesGrantWhatTheyListAndNothingElse() {
        IamEnforcement iam = enforcement(SamTemplate.load(REPO.resolve("template.yaml")));
        IamPrincipal process = iam.principal("ProcessChunkFunction");
        assertEquals("arn:aws:sts::" + ACCOUNT + ":assumed-role/stack-ProcessChunkRole/ProcessChunkFunction", process.sessionArn());
        assertTrue(allowed(process, "s3:PutObject", "arn:aws:s3:::data/output/j1/visits/part-00000.jsonl.gz"));
        assertTrue(!allowed(process, "s3:PutObject", "arn:aws:s3:::data/output/j1/_SUCCESS"), "ProcessChunk never publishes _SUCCESS");
        assertTrue(!allowed(process, "s3:GetObject", "arn:aws:s3:::data/input/x.csv"));
        assertTrue(allowed(process, "dynamodb:UpdateItem", TABLE_ARN));
        assertTrue(!allowed(process, "dynamodb:DeleteItem", TABLE_ARN));
        assertTrue(allowed(process, "secretsmanager:GetSecretValue",
                "arn:aws:secretsmanager:us-east-1:" + ACCOUNT + ":secret:stack-TokenSecret"), "!Ref of a secret is its ARN");
        assertTrue(allowed(process, "logs:PutLogEvents", "arn:aws:logs:us-east-1:" + ACCOUNT
                + ":log-group:/aws/lambda/stack-ProcessChunk:log-stream:local"), "!GetAtt LogGroup.Arn ends in :*");

        IamPrincipal getChunks = iam.principal("GetChunksFunction");
        assertTrue(allowed(getChunks, "s3:ListBucket", "arn:aws:s3:::data", Map.of("s3:prefix", List.of("input/sample/"))));
        assertTrue(!allowed(getChunks, "s3:ListBucket", "arn:aws:s3:::data", Map.of("s3:prefix", List.of("jobs/"))));

        IamPrincipal gc = iam.principal("OrphanCollectorFunction");
        assertTrue(allowed(gc, "s3:ListBucket", "arn:aws:s3:::data", Map.of("s3:prefix", List.of("jobs/"))));
        assertTrue(!allowed(gc, "s3:ListBucket", "arn:aws:s3:::data", Map.of("s3:prefix", List.of("runs/"))));
        assertTrue(!allowed(gc, "s3:ListBucket", "arn:aws:s3:::data"), "no listing of the whole bucket");
        assertTrue(allowed(gc, "s3:DeleteObject", "arn:aws:s3:::data/jobs/j1/execution_steps/v2-0123456789ab.json"));
        assertTrue(!allowed(gc, "s3:DeleteObject", "arn:aws:s3:::data/runs/j1/chunks/00000.data"));
        assertTrue(!allowed(gc, "s3:GetObject", "arn:aws:s3:::data/jobs/j1/execution_steps/v2-0123456789ab.json"), "it never reads an object");
        assertTrue(!allowed(gc, "s3:PutObject", "arn:aws:s3:::data/jobs/j1/x.json"));
        assertTrue(allowed(gc, "dynamodb:GetItem", TABLE_ARN));
        assertTrue(!allowed(gc, "dynamodb:DeleteItem", TABLE_ARN), "expired items are DynamoDB's TTL's to delete");
        assertTrue(!allowed(gc, "dynamodb:Scan", TABLE_ARN));

        IamPrincipal sm = iam.principal("EtlStateMachine");
        assertEquals("EtlStateMachineRole (generated by SAM)", sm.roleSource());
        assertTrue(allowed(sm, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:ProcessChunkFunction:live"),
                "LambdaInvokePolicy grants function:NAME*, which covers the alias");
        assertTrue(!allowed(sm, "lambda:InvokeFunction", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:StartJobFunction:live"));
        assertTrue(allowed(sm, "s3:GetObject", "arn:aws:s3:::data/runs/j1/chunks/ids.json"));
        assertTrue(!allowed(sm, "s3:GetObject", "arn:aws:s3:::data/runs/j1/chunks/manifest.json"));
    }

    @Test
    void aStateMachineWithoutTheInvokeGrantIsRefusedWithStepFunctionsMessage() throws Exception {
        String text = Files.readString(REPO.resolve("template.yaml"), StandardCharsets.UTF_8);
        String without = text.replaceFirst("\\n\\s*- LambdaInvokePolicy:\\n\\s*FunctionName: !Ref SummarizeFunction", "");
        assertTrue(!without.equals(text), "the template invokes SummarizeFunction through a LambdaInvokePolicy");
        IamEnforcement iam = enforcement(SamTemplate.parse(without, REPO));
        String alias = "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:SummarizeFunction:live";
        IamEnforcement.AccessDenied e = assertThrows(IamEnforcement.AccessDenied.class, () -> iam.authorizeInvoke("EtlStateMachine", alias));
        assertEquals("User: arn:aws:sts::" + ACCOUNT + ":assumed-role/stack-EtlStateMachineRole/stack-etl is not authorized to perform:"
                + " lambda:InvokeFunction on resource: " + alias + " because no identity-based policy allows the lambda:InvokeFunction action",
                e.getMessage());
        iam.authorizeInvoke("EtlStateMachine", "arn:aws:lambda:us-east-1:" + ACCOUNT + ":function:ProcessChunkFunction:live");
    }

    private static final String SAM_ROLES = """
            Transform: AWS::Serverless-2016-10-31
            Globals:
              Function:
                Runtime: java21
            Resources:
              Data: {Type: AWS::S3::Bucket}
              Jobs:
                Type: AWS::DynamoDB::Table
                Properties:
                  KeySchema: [{AttributeName: id, KeyType: HASH}]
              Reader:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: a.B::handleRequest
                  Policies:
                    - AWSXRayDaemonWriteAccess
                    - S3ReadPolicy: {BucketName: !Ref Data}
                    - DynamoDBCrudPolicy: {TableName: !Ref Jobs}
                    - Statement:
                        - Effect: Deny
                          Action: s3:GetObject
                          Resource: !Sub "${Data.Arn}/secret/*"
            """;

    @Test
    void samGeneratesARoleFromPoliciesWithTemplatesManagedPoliciesAndDocuments() {
        IamPrincipal reader = enforcement(SamTemplate.parse(SAM_ROLES, REPO)).principal("Reader");
        assertEquals("ReaderRole (generated by SAM)", reader.roleSource());
        assertEquals("arn:aws:iam::" + ACCOUNT + ":role/stack-ReaderRole", reader.roleArn());
        assertTrue(allowed(reader, "logs:CreateLogStream", "arn:aws:logs:us-east-1:1:log-group:x:log-stream:y"), "AWSLambdaBasicExecutionRole");
        assertTrue(allowed(reader, "xray:PutTraceSegments", "*"));
        assertTrue(allowed(reader, "s3:GetObject", "arn:aws:s3:::data/any/key"));
        assertTrue(allowed(reader, "s3:ListBucket", "arn:aws:s3:::data"));
        assertTrue(!allowed(reader, "s3:PutObject", "arn:aws:s3:::data/any/key"));
        assertTrue(!allowed(reader, "s3:GetObject", "arn:aws:s3:::data/secret/k"), "the inline Deny wins");
        assertTrue(allowed(reader, "dynamodb:Query", TABLE_ARN + "/index/by-date"));
    }

    @Test
    void unknownPolicyTemplatesAndOutsideRolesAreErrorsNamingThem() {
        String unknown = SAM_ROLES.replace("S3ReadPolicy: {BucketName: !Ref Data}", "S3ReadEverythingPolicy: {BucketName: !Ref Data}");
        IamPolicyException e = assertThrows(IamPolicyException.class, () -> enforcement(SamTemplate.parse(unknown, REPO)));
        assertTrue(e.getMessage().contains("unknown SAM policy template S3ReadEverythingPolicy"), e.getMessage());
        assertTrue(e.getMessage().startsWith("ReaderRole.Policies[1]"), e.getMessage());

        String missingParam = SAM_ROLES.replace("S3ReadPolicy: {BucketName: !Ref Data}", "S3ReadPolicy: {Bucket: !Ref Data}");
        IamPolicyException p = assertThrows(IamPolicyException.class, () -> enforcement(SamTemplate.parse(missingParam, REPO)));
        assertTrue(p.getMessage().contains("S3ReadPolicy needs parameter BucketName"), p.getMessage());

        String outside = SAM_ROLES.replace("Handler: a.B::handleRequest", "Handler: a.B::handleRequest\n      Role: arn:aws:iam::1:role/x");
        IamPolicyException o = assertThrows(IamPolicyException.class, () -> enforcement(SamTemplate.parse(outside, REPO)));
        assertTrue(o.getMessage().startsWith("Reader: Role arn:aws:iam::1:role/x is not an AWS::IAM::Role of this template"), o.getMessage());
    }

    /** Our copy of SAM's policy templates is SAM's: compared with the installed samtranslator's, when there is one. */
    @Test
    void policyTemplatesMatchTheInstalledSamTranslator() throws Exception {
        Path samFile = samTranslatorPolicyTemplates();
        assumeTrue(samFile != null, "python3 with aws-sam-translator is not installed here: comparison skipped");
        JsonNode sam = Json.MAPPER.readTree(Files.readAllBytes(samFile)).path("Templates");
        JsonNode ours;
        try (var in = SamPolicyTemplates.class.getResourceAsStream("sam-policy-templates.json")) {
            ours = Json.MAPPER.readTree(in).path("Templates");
        }
        assertTrue(ours.size() >= 5);
        for (var it = ours.fieldNames(); it.hasNext(); ) {
            String name = it.next();
            assertTrue(sam.has(name), "samtranslator has no template " + name);
            assertEquals(sam.path(name).path("Definition"), ours.path(name).path("Definition"), name);
            assertEquals(List.copyOf(iterable(sam.path(name).path("Parameters").fieldNames())),
                    List.copyOf(iterable(ours.path(name).path("Parameters").fieldNames())), name);
        }
    }

    private static List<String> iterable(java.util.Iterator<String> it) {
        List<String> out = new java.util.ArrayList<>();
        it.forEachRemaining(out::add);
        return out;
    }

    private static Path samTranslatorPolicyTemplates() {
        try {
            Process p = new ProcessBuilder("python3", "-c",
                    "import samtranslator, os; print(os.path.join(os.path.dirname(samtranslator.__file__),"
                            + " 'policy_templates_data', 'policy_templates.json'))")
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return null;
            }
            Path file = Path.of(out);
            return Files.isRegularFile(file) ? file : null;
        } catch (Exception e) {
            return null;
        }
    }
}
