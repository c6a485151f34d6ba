package dev.chunkflow.local.checks;

import static dev.chunkflow.local.checks.LeastPrivilegeCheckTest.list;
import static dev.chunkflow.local.checks.LeastPrivilegeCheckTest.map;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/** The deployment decisions of template.yaml that a careless edit could undo. */
class TemplateInvariantsCheckTest {
    static final String JAVA_TOOL_OPTIONS = "-XX:+TieredCompilation -XX:TieredStopAtLevel=1";

    /** Environment contract (contracts.md): each function gets only what it reads. */
    static final Map<String, Set<String>> ENVIRONMENT = Map.of(
            "StartJobFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "OFFLOAD_THRESHOLD_BYTES", "STATE_MACHINE_ARN",
                    "PROCESS_CHUNK_RESERVED_CONCURRENCY", "JOB_RETENTION_DAYS"),
            "GetJobFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "OFFLOAD_THRESHOLD_BYTES", "PRESIGNED_URL_TTL_SECONDS"),
            "UpdateJobFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "OFFLOAD_THRESHOLD_BYTES", "JOB_RETENTION_DAYS"),
            "GetChunksFunction", Set.of("DATA_BUCKET", "TARGET_ROWS_PER_CHUNK", "INLINE_MAP_MAX_CHUNKS", "DEFAULT_WORKLOAD"),
            "ProcessChunkFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "OFFLOAD_THRESHOLD_BYTES", "TOKEN_SECRET_ARN"),
            "SummarizeFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "OFFLOAD_THRESHOLD_BYTES", "JOB_RETENTION_DAYS"),
            "OrphanCollectorFunction", Set.of("DATA_BUCKET", "JOBS_TABLE", "ORPHAN_GRACE_SECONDS", "ORPHAN_MAX_LISTED",
                    "ORPHAN_MAX_DELETED", "ORPHAN_DRY_RUN"));

    static final Map<String, TemplateValue> ENVIRONMENT_VALUES = Map.ofEntries(
            Map.entry("JOB_RETENTION_DAYS", new TemplateValue.Ref("JobRetentionDays")),
            Map.entry("ORPHAN_GRACE_SECONDS", new TemplateValue.Ref("OrphanGraceSeconds")),
            Map.entry("ORPHAN_MAX_LISTED", new TemplateValue.Ref("OrphanMaxListedPerRun")),
            Map.entry("ORPHAN_MAX_DELETED", new TemplateValue.Ref("OrphanMaxDeletedPerRun")),
            Map.entry("ORPHAN_DRY_RUN", new TemplateValue.Ref("OrphanCollectorDryRun")),
            Map.entry("DATA_BUCKET", new TemplateValue.Ref("DataBucket")),
            Map.entry("JOBS_TABLE", new TemplateValue.Ref("JobsTable")),
            Map.entry("OFFLOAD_THRESHOLD_BYTES", new TemplateValue.Ref("OffloadThresholdBytes")),
            Map.entry("STATE_MACHINE_ARN", new TemplateValue.Ref("EtlStateMachine")),
            Map.entry("PRESIGNED_URL_TTL_SECONDS", new TemplateValue.Ref("PresignedUrlTtlSeconds")),
            Map.entry("TARGET_ROWS_PER_CHUNK", new TemplateValue.Ref("TargetRowsPerChunk")),
            Map.entry("INLINE_MAP_MAX_CHUNKS", new TemplateValue.Ref("InlineMapMaxChunks")),
            Map.entry("DEFAULT_WORKLOAD", new TemplateValue.Ref("DefaultWorkload")),
            Map.entry("TOKEN_SECRET_ARN", new TemplateValue.Ref("TokenSecret")),
            Map.entry("PROCESS_CHUNK_RESERVED_CONCURRENCY", new TemplateValue.Ref("ProcessChunkReservedConcurrency")));

    private final SamTemplate t = Repo.template();

    @Test
    void everyFunctionIsJava21OnArm64WithSnapStartOnItsAliasAndJsonLogs() {
        assertEquals(HandlerClassesCheckTest.CONTRACT.keySet(), t.functions().keySet());
        for (FunctionDef fn : t.functions().values()) {
            String id = fn.logicalId();
            assertEquals("java21", fn.runtime(), id);
            assertEquals(List.of("arm64"), fn.architectures(), id);
            assertEquals("functions/", fn.codeUri(), id + ": one code artifact for all functions");
            assertEquals(java.util.Optional.of("live"), fn.autoPublishAlias(), id);
            if (id.equals("GetChunksFunction")) {
                // The one exception: its /tmp spill needs more than 512 MB, which SnapStart does not support.
                assertEquals(java.util.Optional.of("None"), fn.snapStartApplyOn(), id);
                int tmp = ((Number) map(fn.properties().get("EphemeralStorage")).get("Size")).intValue();
                assertTrue(tmp > 512, id + " spills to /tmp");
            } else {
                assertEquals(java.util.Optional.of("PublishedVersions"), fn.snapStartApplyOn(), id);
                assertFalse(fn.properties().containsKey("EphemeralStorage"), id + ": SnapStart allows only 512 MB of /tmp");
            }
            assertEquals("JSON", map(fn.properties().get("LoggingConfig")).get("LogFormat"), id);
            assertEquals(new TemplateValue.Literal(JAVA_TOOL_OPTIONS), fn.environment().get("JAVA_TOOL_OPTIONS"), id);
            assertTrue(fn.timeoutSeconds() >= 1 && fn.timeoutSeconds() <= 900, id + " Timeout");
            assertTrue(fn.memorySizeMb() >= 128 && fn.memorySizeMb() <= 10240, id + " MemorySize");
            String logGroup = TemplateValue.of(map(fn.properties().get("LoggingConfig")).get("LogGroup"), id)
                    .referencedLogicalId().orElseThrow();
            assertEquals("AWS::Logs::LogGroup", t.resourceType(logGroup).orElse(""), id + " log group");
            assertNotNull(t.properties(logGroup).get("RetentionInDays"), logGroup + " needs a retention");
        }
        for (String api : HandlerClassesCheckTest.HTTP_API_FUNCTIONS) {
            assertTrue(t.function(api).orElseThrow().timeoutSeconds() < 30, api + ": HTTP API integrations time out at 30 s");
        }
    }

    @Test
    void eachFunctionGetsOnlyTheEnvironmentItUses() {
        Map<String, Set<String>> actual = new TreeMap<>();
        for (FunctionDef fn : t.functions().values()) {
            Set<String> names = new TreeSet<>(fn.environment().keySet());
            names.remove("JAVA_TOOL_OPTIONS");
            actual.put(fn.logicalId(), names);
            for (String name : names) {
                assertEquals(ENVIRONMENT_VALUES.get(name), fn.environment().get(name), fn.logicalId() + " " + name);
            }
        }
        Map<String, Set<String>> expected = new TreeMap<>();
        ENVIRONMENT.forEach((k, v) -> expected.put(k, new TreeSet<>(v)));
        assertEquals(expected, actual);
    }

    @Test
    void parametersKeepTheServiceLimits() {
        for (String p : List.of("OffloadThresholdBytes", "InlineMapMaxChunks", "TargetRowsPerChunk", "DataRetentionDays")) {
            assertTrue(t.parameters().containsKey(p), "parameter " + p);
        }
        Map<String, Object> params = map(t.raw().get("Parameters"));
        int offloadMax = ((Number) map(params.get("OffloadThresholdBytes")).get("MaxValue")).intValue();
        assertTrue(offloadMax <= AwsLimits.DYNAMODB_ITEM_BYTES, "an offload threshold above the DynamoDB item limit is meaningless");
        int inlineMax = ((Number) map(params.get("InlineMapMaxChunks")).get("MaxValue")).intValue();
        assertTrue(inlineMax * 7L + 1000 < AwsLimits.SFN_STANDARD_HISTORY_EVENTS,
                "an inline Map of InlineMapMaxChunks items (about 7 events each, plus retries) must fit the execution history");
        assertEquals("1000", t.parameters().get("InlineMapMaxChunks").defaultValue().orElseThrow());
        assertEquals("307200", t.parameters().get("OffloadThresholdBytes").defaultValue().orElseThrow());
    }

    @Test
    void dataBucketIsEncryptedPrivateTlsOnlyAndExpiresPii() {
        Map<String, Object> bucket = t.properties("DataBucket");
        Map<String, Object> sse = map(map(list(map(bucket.get("BucketEncryption")).get("ServerSideEncryptionConfiguration")).get(0))
                .get("ServerSideEncryptionByDefault"));
        assertTrue(Set.of("AES256", "aws:kms", "aws:kms:dsse").contains(String.valueOf(sse.get("SSEAlgorithm"))), "SSE");
        Map<String, Object> pab = map(bucket.get("PublicAccessBlockConfiguration"));
        for (String k : List.of("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls", "RestrictPublicBuckets")) {
            assertEquals(Boolean.TRUE, pab.get(k), k);
        }
        assertFalse("Enabled".equals(map(bucket.get("VersioningConfiguration")).get("Status")),
                "versioning would keep noncurrent PII past the expiry rules");

        Map<String, Map<String, Object>> rules = new TreeMap<>();
        for (Object r : list(map(bucket.get("LifecycleConfiguration")).get("Rules"))) {
            Map<String, Object> rule = map(r);
            if ("Enabled".equals(rule.get("Status")) && rule.get("Prefix") != null) {
                rules.put(String.valueOf(rule.get("Prefix")), rule);
            }
        }
        // runs/ holds raw rows and SSN key sets: a named parameter, default 14 days (Step Functions' redrive window)
        assertEquals(Map.of("Ref", "RunsRetentionDays"), rules.get("runs/").get("ExpirationInDays"), "runs/ expiry");
        Map<String, Object> runsDays = map(map(t.raw().get("Parameters")).get("RunsRetentionDays"));
        assertEquals(14, ((Number) runsDays.get("Default")).intValue(), "RunsRetentionDays default: the redrive window");
        assertTrue(String.valueOf(runsDays.get("Description")).contains("SSN"), "the parameter says what it exposes");
        for (String pii : List.of("input/", "output/")) {
            assertNotNull(rules.get(pii), "a lifecycle rule must expire " + pii);
            assertEquals(Map.of("Ref", "DataRetentionDays"), rules.get(pii).get("ExpirationInDays"), pii);
        }

        Map<String, Object> policy = t.properties("DataBucketPolicy");
        assertEquals(Map.of("Ref", "DataBucket"), policy.get("Bucket"));
        boolean tlsOnly = false;
        for (Object s : list(map(policy.get("PolicyDocument")).get("Statement"))) {
            Map<String, Object> st = map(s);
            Set<String> resources = new HashSet<>();
            list(st.get("Resource")).forEach(r -> resources.add(
                    TemplateValue.of(r, "Resource").render(LeastPrivilegeCheckTest.SYMBOLIC)));
            if ("Deny".equals(st.get("Effect")) && "*".equals(st.get("Principal")) && "s3:*".equals(st.get("Action"))
                    && "false".equals(map(map(st.get("Condition")).get("Bool")).get("aws:SecureTransport"))
                    && resources.equals(Set.of("DataBucket.Arn", "DataBucket.Arn/*"))) {
                tlsOnly = true;
            }
        }
        assertTrue(tlsOnly, "DataBucketPolicy must deny every request without TLS on the bucket and its objects");
    }

    @Test
    void jobsTableIsOnDemandWithPitrAndSse() {
        Map<String, Object> table = t.properties("JobsTable");
        assertEquals("PAY_PER_REQUEST", table.get("BillingMode"));
        assertEquals(Boolean.TRUE, map(table.get("PointInTimeRecoverySpecification")).get("PointInTimeRecoveryEnabled"));
        assertEquals(Boolean.TRUE, map(table.get("SSESpecification")).get("SSEEnabled"));
        assertEquals("job_id", t.tables().get("JobsTable").hashKey());
        assertEquals(List.of(Map.of("AttributeName", "job_id", "AttributeType", "S")), table.get("AttributeDefinitions"));
        // the attribute the job store writes from JobRetentionDays (JobItem.EXPIRES_AT)
        assertEquals(Map.of("AttributeName", "expires_at", "Enabled", Boolean.TRUE), map(table.get("TimeToLiveSpecification")));
    }

    @Test
    void jobsObjectsAreLeftToTheCollectorAndRunsOutliveTheRedriveWindow() {
        List<Object> rules = list(map(t.properties("DataBucket").get("LifecycleConfiguration")).get("Rules"));
        for (Object r : rules) {
            Object prefix = map(r).get("Prefix");
            // an age rule on jobs/ would delete the objects of a live item whose attribute was offloaded long ago
            assertFalse(prefix != null && "jobs/".startsWith(prefix.toString()) && map(r).containsKey("ExpirationInDays"),
                    "no expiration rule may cover jobs/: " + r);
        }
        assertTrue(Integer.parseInt(t.parameters().get("RunsRetentionDays").defaultValue().orElseThrow()) >= 14,
                "runs/ must live as long as Step Functions allows a redrive (14 days)");
    }

    @Test
    void httpApiRoutesRequireSigV4() {
        assertEquals("AWS::Serverless::HttpApi", t.resourceType("HttpApi").orElse(""));
        assertEquals("AWS_IAM", map(t.properties("HttpApi").get("Auth")).get("DefaultAuthorizer"));
        Map<String, String> routes = new TreeMap<>();
        for (FunctionDef fn : t.functions().values()) {
            map(fn.properties().get("Events")).values().forEach(e -> {
                Map<String, Object> event = map(e);
                if (EventFilesCheckTest.SCHEDULED_FUNCTIONS.contains(fn.logicalId())) {
                    assertEquals("Schedule", event.get("Type"), fn.logicalId() + ": only its schedule");
                    assertEquals(Map.of("Ref", "OrphanCollectorSchedule"), map(event.get("Properties")).get("Schedule"));
                    return;
                }
                assertEquals("HttpApi", event.get("Type"), fn.logicalId() + ": only HttpApi events");
                Map<String, Object> p = map(event.get("Properties"));
                assertEquals(Map.of("Ref", "HttpApi"), p.get("ApiId"));
                assertEquals("AWS_IAM", map(p.get("Auth")).get("Authorizer"), fn.logicalId() + " route auth");
                routes.put(p.get("Method") + " " + p.get("Path"), fn.logicalId());
            });
        }
        assertEquals(Map.of("POST /jobs", "StartJobFunction", "GET /jobs/{job_id}", "GetJobFunction"), routes);
    }

    @Test
    void stateMachineIsStandardAndLogsToARetainedLogGroupWithoutExecutionData() {
        Map<String, Object> sm = t.properties("EtlStateMachine");
        assertEquals("STANDARD", sm.get("Type"), "a Distributed Map parent must be STANDARD");
        assertEquals("statemachines/etl-pipeline.asl.json", sm.get("DefinitionUri"));
        Map<String, Object> logging = map(sm.get("Logging"));
        assertEquals(Boolean.FALSE, logging.get("IncludeExecutionData"), "execution data stays out of the logs");
        Object arn = map(map(list(logging.get("Destinations")).get(0)).get("CloudWatchLogsLogGroup")).get("LogGroupArn");
        String logGroup = TemplateValue.of(arn, "LogGroupArn").referencedLogicalId().orElseThrow();
        assertNotNull(t.properties(logGroup).get("RetentionInDays"));
    }

    @Test
    void outputsAndSamconfigServeTheScripts() throws IOException {
        assertTrue(t.outputs().keySet().containsAll(Set.of("EtlStateMachineArn", "ApiUrl", "DataBucketName", "JobsTableName")));
        String samconfig = Files.readString(Repo.root().resolve("samconfig.toml"));
        assertTrue(samconfig.contains("version = 0.1"));
        assertTrue(samconfig.contains("stack_name = \"chunkflow\""));
        assertTrue(samconfig.contains("capabilities = \"CAPABILITY_IAM\""));
        assertTrue(samconfig.contains("resolve_s3 = true"));
    }

    @Test
    void tokenSecretIsGeneratedByTheStackRetainedAndReadOnlyByProcessChunk() {
        Map<String, Object> secret = t.resources().get("TokenSecret");
        assertEquals("AWS::SecretsManager::Secret", secret.get("Type"));
        assertEquals("Retain", secret.get("DeletionPolicy"), "a new key gives every patient a new token");
        assertEquals("Retain", secret.get("UpdateReplacePolicy"));
        Map<String, Object> generate = map(map(secret.get("Properties")).get("GenerateSecretString"));
        assertTrue(((Number) generate.get("PasswordLength")).intValue() >= 32, "HMAC key length");
        assertEquals(true, generate.get("ExcludePunctuation"));
        assertTrue(t.outputs().containsKey("TokenSecretArn"));
        for (FunctionDef fn : t.functions().values()) {
            assertEquals(fn.logicalId().equals("ProcessChunkFunction"), fn.environment().containsKey("TOKEN_SECRET_ARN"), fn.logicalId());
        }
    }
}
