package dev.chunkflow.local.iam;

import java.util.List;
import java.util.Map;

/**
 * The AWS managed policies the local model knows, by name (the part after {@code :policy/} and any
 * path): those SAM attaches to function roles it creates. Their statements as AWS publishes them.
 */
final class ManagedPolicies {
    private static final Map<String, List<Statement>> POLICIES = Map.of(
            "AWSLambdaBasicExecutionRole", List.of(Statement.allow(
                    List.of("logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"), List.of("*"),
                    "AWSLambdaBasicExecutionRole")),
            "AWSXRayDaemonWriteAccess", List.of(Statement.allow(
                    List.of("xray:PutTraceSegments", "xray:PutTelemetryRecords", "xray:GetSamplingRules",
                            "xray:GetSamplingTargets", "xray:GetSamplingStatisticSummaries"), List.of("*"),
                    "AWSXRayDaemonWriteAccess")));

    private ManagedPolicies() {
    }

    /** The statements of a managed policy given by ARN or name; unknown names are an error naming them. */
    static List<Statement> statements(String arnOrName, String where) {
        String name = arnOrName.substring(arnOrName.lastIndexOf('/') + 1);
        if (arnOrName.startsWith("arn:") && !arnOrName.contains(":iam::aws:policy/")) {
            throw new IamPolicyException(where + ": managed policy " + arnOrName
                    + " is customer managed outside the template; the local IAM model cannot read it");
        }
        List<Statement> s = POLICIES.get(name);
        if (s == null) {
            throw new IamPolicyException(where + ": AWS managed policy " + name + " is not modelled locally (known: "
                    + new java.util.TreeSet<>(POLICIES.keySet()) + ")");
        }
        return s;
    }
}
