package dev.chunkflow.local.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code AWS::IAM::Role}: its inline {@code Policies} ({@code PolicyName} + {@code PolicyDocument},
 * values as parsed, intrinsics symbolic) and {@code ManagedPolicyArns}.
 */
public record RoleDef(String logicalId, Optional<String> roleName, List<InlinePolicy> policies,
                      List<Object> managedPolicyArns, Map<String, Object> properties) {

    public record InlinePolicy(String name, Object document) {
    }

    public RoleDef {
        policies = List.copyOf(policies);
        managedPolicyArns = List.copyOf(managedPolicyArns);
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }
}
