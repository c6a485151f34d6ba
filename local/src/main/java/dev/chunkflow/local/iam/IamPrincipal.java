package dev.chunkflow.local.iam;

import java.util.List;

/**
 * Who makes a call: a function or state machine of the template, acting through its execution role.
 *
 * @param name       the function's or state machine's logical id
 * @param roleSource where the role's policies came from: the {@code AWS::IAM::Role} logical id, or the
 *                   role SAM generates ({@code <LogicalId>Role}) from {@code Policies}
 * @param sessionArn the assumed-role ARN AWS names in an AccessDenied message
 */
public record IamPrincipal(String name, String roleSource, String roleArn, String sessionArn, List<Statement> statements) {
    public IamPrincipal {
        statements = List.copyOf(statements);
    }
}
