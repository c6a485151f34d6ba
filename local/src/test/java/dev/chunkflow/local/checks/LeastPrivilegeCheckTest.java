package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/**
 * IAM in template.yaml: no wildcard actions, Resource "*" only for the actions AWS offers no resource
 * scoping for, S3 object access always under a prefix, listing always with an s3:prefix condition, no
 * managed policies, every function on an explicit role, and each function's exact grants (the table in
 * docs/deploy.md).
 */
class LeastPrivilegeCheckTest {

    /** Actions without resource-level permissions (CloudWatch Logs vended delivery, X-Ray). */
    static final Set<String> RESOURCE_STAR_ALLOWED = Set.of(
            "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery", "logs:DeleteLogDelivery",
            "logs:ListLogDeliveries", "logs:PutResourcePolicy", "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
            "xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules", "xray:GetSamplingTargets");

    /** SAM policy templates allowed in Policies (each is scoped to one named resource). */
    static final Set<String> POLICY_TEMPLATES_ALLOWED = Set.of("LambdaInvokePolicy");

    /** Renders intrinsics symbolically: !GetAtt X.Arn -> "X.Arn", !Ref X -> "X", ${A.B}/p -> "A.B/p". */
    static final TemplateValue.Resolver SYMBOLIC = new TemplateValue.Resolver() {
        @Override
        public String ref(String name) {
            return name;
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            return logicalId + "." + attribute;
        }
    };

    record Statement(String owner, String effect, List<String> actions, List<String> resources, Map<String, Object> raw) {
    }

    static List<Statement> statements(SamTemplate t) {
        List<Statement> out = new ArrayList<>();
        t.resources().forEach((id, resource) -> {
            String type = String.valueOf(resource.get("Type"));
            Map<String, Object> props = t.properties(id);
            switch (type) {
                case "AWS::IAM::Role" -> {
                    assertFalse(props.containsKey("ManagedPolicyArns"), id + ": no managed policies (their scope is not ours)");
                    for (Object p : list(props.get("Policies"))) {
                        addDocument(out, id, map(map(p).get("PolicyDocument")));
                    }
                }
                case "AWS::IAM::Policy", "AWS::IAM::ManagedPolicy" -> addDocument(out, id, map(props.get("PolicyDocument")));
                case SamTemplate.FUNCTION, SamTemplate.STATE_MACHINE -> {
                    for (Object p : list(props.get("Policies"))) {
                        if (p instanceof String s) {
                            fail(id + ": managed policy " + s + " in Policies; write a scoped statement instead");
                        }
                        Map<String, Object> policy = map(p);
                        if (policy.containsKey("Statement")) {
                            addDocument(out, id, policy);
                        } else {
                            String template = policy.keySet().iterator().next();
                            assertTrue(POLICY_TEMPLATES_ALLOWED.contains(template), id + ": policy template " + template + " is not allowed");
                        }
                    }
                }
                default -> {
                }
            }
        });
        return out;
    }

    private static void addDocument(List<Statement> out, String owner, Map<String, Object> doc) {
        for (Object s : list(doc.get("Statement"))) {
            Map<String, Object> st = map(s);
            List<String> actions = new ArrayList<>();
            list(st.get("Action")).forEach(a -> actions.add(String.valueOf(a)));
            List<String> resources = new ArrayList<>();
            list(st.get("Resource")).forEach(r -> resources.add(TemplateValue.of(r, owner + ".Resource").render(SYMBOLIC)));
            out.add(new Statement(owner, String.valueOf(st.get("Effect")), actions, resources, st));
        }
    }

    @Test
    void noWildcardActionsAndResourceStarOnlyWhereAwsRequiresIt() {
        List<String> problems = new ArrayList<>();
        for (Statement s : statements(Repo.template())) {
            if (!s.effect().equals("Allow")) {
                continue;
            }
            if (s.raw().containsKey("NotAction") || s.raw().containsKey("NotResource")) {
                problems.add(s.owner() + ": NotAction/NotResource in an Allow");
            }
            for (String a : s.actions()) {
                if (a.equals("*") || a.endsWith(":*") || a.endsWith("*")) {
                    problems.add(s.owner() + ": wildcard action " + a);
                }
            }
            if (s.resources().contains("*") && !RESOURCE_STAR_ALLOWED.containsAll(s.actions())) {
                problems.add(s.owner() + ": Resource \"*\" for " + s.actions());
            }
            for (String r : s.resources()) {
                if (r.equals("DataBucket.Arn/*")) {
                    problems.add(s.owner() + ": whole-bucket object access for " + s.actions());
                }
            }
            if (s.actions().contains("s3:ListBucket")) {
                Object prefix = map(map(s.raw().get("Condition")).get("StringLike")).get("s3:prefix");
                if (prefix == null) {
                    problems.add(s.owner() + ": s3:ListBucket without an s3:prefix condition");
                }
            }
        }
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    @Test
    void everyFunctionHasItsOwnExplicitRole() {
        // Without Role, SAM attaches AWSLambdaBasicExecutionRole (logs on Resource "*").
        SamTemplate t = Repo.template();
        Set<String> roles = new TreeSet<>();
        t.functions().values().forEach(fn -> {
            Object role = fn.properties().get("Role");
            assertTrue(role != null, fn.logicalId() + " needs an explicit Role");
            TemplateValue v = TemplateValue.of(role, fn.logicalId() + ".Role");
            String roleId = v.referencedLogicalId().orElseThrow();
            assertEquals("AWS::IAM::Role", t.resourceType(roleId).orElse(""), fn.logicalId() + ".Role");
            assertTrue(roles.add(roleId), roleId + " is shared by two functions");
            assertFalse(fn.properties().containsKey("Policies"), fn.logicalId() + ": Policies are ignored next to Role");
        });
    }

    static final Map<String, Set<String>> EXPECTED_GRANTS = Map.of(
            "OrphanCollectorFunction", Set.of(
                    "s3:ListBucket DataBucket.Arn [jobs/*]", "s3:DeleteObject DataBucket.Arn/jobs/*",
                    "dynamodb:GetItem JobsTable.Arn"),
            "StartJobFunction", Set.of(
                    "dynamodb:GetItem JobsTable.Arn", "dynamodb:UpdateItem JobsTable.Arn",
                    "s3:GetObject DataBucket.Arn/jobs/*", "s3:PutObject DataBucket.Arn/jobs/*", "s3:DeleteObject DataBucket.Arn/jobs/*",
                    "states:StartExecution EtlStateMachine"),
            "GetJobFunction", Set.of(
                    "dynamodb:GetItem JobsTable.Arn", "s3:GetObject DataBucket.Arn/jobs/*"),
            "UpdateJobFunction", Set.of(
                    "dynamodb:GetItem JobsTable.Arn", "dynamodb:UpdateItem JobsTable.Arn",
                    "s3:GetObject DataBucket.Arn/jobs/*", "s3:PutObject DataBucket.Arn/jobs/*", "s3:DeleteObject DataBucket.Arn/jobs/*"),
            "GetChunksFunction", Set.of(
                    "s3:ListBucket DataBucket.Arn [input/*]", "s3:GetObject DataBucket.Arn/input/*",
                    "s3:GetObject DataBucket.Arn/runs/*/chunks/*", "s3:PutObject DataBucket.Arn/runs/*/chunks/*"),
            "ProcessChunkFunction", Set.of(
                    "s3:GetObject DataBucket.Arn/runs/*/chunks/*",
                    "s3:GetObject DataBucket.Arn/runs/*/results/*", "s3:PutObject DataBucket.Arn/runs/*/results/*",
                    "s3:PutObject DataBucket.Arn/output/*/*/part-*.jsonl.gz",
                    "dynamodb:UpdateItem JobsTable.Arn",
                    "secretsmanager:GetSecretValue TokenSecret"),
            "SummarizeFunction", Set.of(
                    "s3:ListBucket DataBucket.Arn [runs/*/results/*]",
                    "s3:GetObject DataBucket.Arn/runs/*/results/*", "s3:GetObject DataBucket.Arn/runs/*/chunks/manifest.json",
                    "s3:PutObject DataBucket.Arn/output/*/summary.json", "s3:PutObject DataBucket.Arn/output/*/report.html",
                    "s3:PutObject DataBucket.Arn/output/*/_SUCCESS", "s3:PutObject DataBucket.Arn/runs/*/chunks/unprocessed-*",
                    "s3:GetObject DataBucket.Arn/jobs/*", "s3:PutObject DataBucket.Arn/jobs/*", "s3:DeleteObject DataBucket.Arn/jobs/*",
                    "dynamodb:GetItem JobsTable.Arn", "dynamodb:UpdateItem JobsTable.Arn"));

    @Test
    void eachFunctionGetsExactlyItsGrants() {
        SamTemplate t = Repo.template();
        List<Statement> all = statements(t);
        Map<String, Set<String>> actual = new TreeMap<>();
        t.functions().values().forEach(fn -> {
            String roleId = TemplateValue.of(fn.properties().get("Role"), "Role").referencedLogicalId().orElseThrow();
            String logGroup = TemplateValue.of(map(fn.properties().get("LoggingConfig")).get("LogGroup"), "LogGroup")
                    .referencedLogicalId().orElseThrow();
            Set<String> grants = new TreeSet<>();
            for (Statement s : all) {
                if (!s.owner().equals(roleId) || !s.effect().equals("Allow")) {
                    continue;
                }
                Object prefix = map(map(s.raw().get("Condition")).get("StringLike")).get("s3:prefix");
                for (String a : s.actions()) {
                    for (String r : s.resources()) {
                        if (a.startsWith("logs:")) {
                            assertEquals(logGroup + ".Arn", r, fn.logicalId() + " may log only to its own log group");
                            continue;
                        }
                        grants.add(a + " " + r + (prefix == null ? "" : " " + list(prefix)));
                    }
                }
            }
            actual.put(fn.logicalId(), grants);
        });
        Map<String, Set<String>> expected = new TreeMap<>();
        EXPECTED_GRANTS.forEach((k, v) -> expected.put(k, new TreeSet<>(v)));
        assertEquals(expected, actual);
    }

    @Test
    void theStateMachineMayInvokeExactlyTheFunctionsItsDefinitionNames() {
        SamTemplate t = Repo.template();
        Set<String> invokable = new TreeSet<>();
        for (Object p : list(t.properties("EtlStateMachine").get("Policies"))) {
            Object fn = map(p).get("LambdaInvokePolicy");
            if (fn != null) {
                invokable.add(TemplateValue.of(map(fn).get("FunctionName"), "FunctionName").referencedLogicalId().orElseThrow());
            }
        }
        Set<String> named = new TreeSet<>();
        t.stateMachine("EtlStateMachine").orElseThrow().substitutions().keySet()
                .forEach(name -> t.functionForSubstitution(name).ifPresent(named::add));
        assertEquals(named, invokable);

        Set<String> stateMachineGrants = new TreeSet<>();
        statements(t).stream().filter(s -> s.owner().equals("EtlStateMachine") && s.effect().equals("Allow"))
                .forEach(s -> s.actions().forEach(a -> s.resources().forEach(r -> stateMachineGrants.add(a + " " + r))));
        String self = "arn:AWS::Partition:states:AWS::Region:AWS::AccountId:stateMachine:AWS::StackName-etl";
        assertTrue(stateMachineGrants.contains("states:StartExecution " + self), stateMachineGrants.toString());
        assertTrue(stateMachineGrants.contains("s3:GetObject DataBucket.Arn/runs/*/chunks/ids.json"), stateMachineGrants.toString());
        assertTrue(stateMachineGrants.contains("s3:PutObject DataBucket.Arn/runs/*/map-results/*"), stateMachineGrants.toString());
        assertEquals("AWS::StackName-etl",
                TemplateValue.of(t.properties("EtlStateMachine").get("Name"), "Name").render(SYMBOLIC),
                "the role names the state machine by this fixed name");
    }

    static List<Object> list(Object o) {
        if (o == null) {
            return List.of();
        }
        return o instanceof List<?> l ? new ArrayList<>(l) : List.of(o);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
