package dev.chunkflow.local.iam;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chunkflow.common.Json;

/** IAM's evaluation rules on their own: deny over allow over implicit deny, wildcards, Not*, conditions. */
class PolicyEvaluatorTest {
    private static List<Statement> policy(String json) throws Exception {
        return PolicyDocument.statements(Json.MAPPER.readValue(json, Map.class), "test");
    }

    private static Decision.Outcome eval(List<Statement> p, String action, String resource) {
        return PolicyEvaluator.evaluate(p, new IamRequest(action, resource)).outcome();
    }

    private static Decision.Outcome eval(List<Statement> p, String action, String resource, Map<String, List<String>> ctx) {
        return PolicyEvaluator.evaluate(p, new IamRequest(action, resource, ctx)).outcome();
    }

    @Test
    void explicitDenyBeatsAllowAndNothingAllowedIsImplicitDeny() throws Exception {
        List<Statement> p = policy("""
                {"Statement": [
                  {"Effect": "Allow", "Action": "s3:*", "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Deny", "Action": "s3:DeleteObject", "Resource": "arn:aws:s3:::b/keep/*"}]}""");
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:DeleteObject", "arn:aws:s3:::b/tmp/x"));
        assertEquals(Decision.Outcome.EXPLICIT_DENY, eval(p, "s3:DeleteObject", "arn:aws:s3:::b/keep/x"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:GetObject", "arn:aws:s3:::other/x"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "dynamodb:GetItem", "arn:aws:s3:::b/x"));
    }

    @Test
    void wildcardsSpanSlashesActionsIgnoreCaseResourcesDoNot() throws Exception {
        List<Statement> p = policy("""
                {"Statement": {"Effect": "Allow", "Action": ["s3:Get*"],
                  "Resource": ["arn:aws:s3:::b/output/*/visits/*", "arn:aws:s3:::b/runs/?/ids.json"]}}""");
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:GetObject", "arn:aws:s3:::b/output/j1/visits/part-0.gz"));
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "S3:GETOBJECT", "arn:aws:s3:::b/output/a/b/visits/c/d"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:GetObject", "arn:aws:s3:::b/output/j1/daily/part-0.gz"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:GetObject", "arn:aws:s3:::b/OUTPUT/j1/visits/x"));
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:GetObject", "arn:aws:s3:::b/runs/7/ids.json"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:GetObject", "arn:aws:s3:::b/runs/17/ids.json"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:PutObject", "arn:aws:s3:::b/output/j1/visits/x"));
    }

    @Test
    void notActionAndNotResourceAllowEverythingElse() throws Exception {
        List<Statement> p = policy("""
                {"Statement": [
                  {"Effect": "Allow", "NotAction": ["s3:Delete*"], "Resource": "arn:aws:s3:::b/*"},
                  {"Effect": "Allow", "Action": "dynamodb:*", "NotResource": "arn:aws:dynamodb:*:*:table/secret"}]}""");
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:PutObject", "arn:aws:s3:::b/k"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:DeleteObject", "arn:aws:s3:::b/k"));
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/jobs"));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "dynamodb:GetItem", "arn:aws:dynamodb:us-east-1:1:table/secret"));
    }

    @Test
    void listBucketWithAPrefixConditionNeedsAMatchingPrefix() throws Exception {
        List<Statement> p = policy("""
                {"Statement": {"Effect": "Allow", "Action": "s3:ListBucket", "Resource": "arn:aws:s3:::b",
                  "Condition": {"StringLike": {"s3:prefix": ["input/*", "runs/*/results/*"]}}}}""");
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", List.of("input/data/"))));
        assertEquals(Decision.Outcome.ALLOWED, eval(p, "s3:ListBucket", "arn:aws:s3:::b", Map.of("S3:Prefix", List.of("runs/j/results/"))));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:ListBucket", "arn:aws:s3:::b", Map.of("s3:prefix", List.of("output/"))));
        assertEquals(Decision.Outcome.IMPLICIT_DENY, eval(p, "s3:ListBucket", "arn:aws:s3:::b"), "no prefix in the request");
    }

    @Test
    void conditionOperatorsFollowIamForAbsentKeysNegationAndSets() {
        IamRequest tls = new IamRequest("s3:GetObject", "r", Map.of("aws:SecureTransport", List.of("true"),
                "s3:TlsVersion", List.of("1.3"), "tags", List.of("a", "b")));
        IamRequest bare = new IamRequest("s3:GetObject", "r");
        assertFalse(new Condition("Bool", "aws:SecureTransport", List.of("false")).test(tls));
        assertTrue(new Condition("Bool", "aws:SecureTransport", List.of("true")).test(tls));
        assertFalse(new Condition("NumericLessThan", "s3:TlsVersion", List.of("1.2")).test(tls));
        assertTrue(new Condition("NumericGreaterThanEquals", "s3:TlsVersion", List.of("1.2")).test(tls));
        assertFalse(new Condition("StringEquals", "missing", List.of("x")).test(bare));
        assertTrue(new Condition("StringEqualsIfExists", "missing", List.of("x")).test(bare));
        assertTrue(new Condition("StringNotEquals", "missing", List.of("x")).test(bare));
        assertTrue(new Condition("StringNotLike", "s3:TlsVersion", List.of("1.0", "1.1*")).test(tls));
        assertTrue(new Condition("Null", "missing", List.of("true")).test(bare));
        assertFalse(new Condition("Null", "aws:SecureTransport", List.of("true")).test(tls));
        assertTrue(new Condition("ForAllValues:StringEquals", "tags", List.of("a", "b", "c")).test(tls));
        assertFalse(new Condition("ForAllValues:StringEquals", "tags", List.of("a")).test(tls));
        assertTrue(new Condition("ForAnyValue:StringEquals", "tags", List.of("b")).test(tls));
        assertFalse(new Condition("ForAnyValue:StringEquals", "missing", List.of("b")).test(bare));
        assertTrue(new Condition("ArnLike", "aws:PrincipalArn", List.of("arn:aws:iam::*:role/app-*"))
                .test(new IamRequest("a", "r", Map.of("aws:PrincipalArn", List.of("arn:aws:iam::1:role/app-x")))));
        IamPolicyException e = assertThrows(IamPolicyException.class, () -> new Condition("DateGreaterThan", "aws:CurrentTime", List.of("x")));
        assertTrue(e.getMessage().contains("DateGreaterThan"), e.getMessage());
    }

    @Test
    void malformedStatementsAreNamedErrors() {
        IamPolicyException noEffect = assertThrows(IamPolicyException.class, () -> policy(
                "{\"Statement\": [{\"Action\": \"s3:*\", \"Resource\": \"*\"}]}"));
        assertTrue(noEffect.getMessage().startsWith("test#0: Effect"), noEffect.getMessage());
        IamPolicyException both = assertThrows(IamPolicyException.class, () -> policy(
                "{\"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3:*\", \"NotAction\": \"s3:Get*\", \"Resource\": \"*\"}]}"));
        assertTrue(both.getMessage().contains("exactly one of Action and NotAction"), both.getMessage());
    }

    @Test
    void wildcardMatcherHandlesBacktracking() {
        assertTrue(Wildcard.matches("a*b*c", "axxbyybzc", false));
        assertTrue(Wildcard.matches("a*b*c", "axxbyyc", false));
        assertFalse(Wildcard.matches("a*b*c", "axxcyyb", false));
        assertFalse(Wildcard.matches("a*bc", "abcx", false));
        assertTrue(Wildcard.matches("*", "", false));
        assertFalse(Wildcard.matches("?", "", false));
    }
}
