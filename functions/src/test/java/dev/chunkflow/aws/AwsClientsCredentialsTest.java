package dev.chunkflow.aws;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;

class AwsClientsCredentialsTest {
    @Test
    void onLambdaWithCredentialVariablesReadsThemStraightFromTheEnvironment() {
        assertInstanceOf(EnvironmentVariableCredentialsProvider.class, AwsClients.credentials(Map.of(
                "AWS_LAMBDA_FUNCTION_NAME", "chunkflow-GetJob", "AWS_ACCESS_KEY_ID", "ASIAEXAMPLE",
                "AWS_SECRET_ACCESS_KEY", "secret", "AWS_SESSION_TOKEN", "token")));
    }

    @Test
    void elsewhereOrWithoutCredentialVariablesUsesTheDefaultChain() {
        // local runs and tests: credentials are system properties (or profiles), not Lambda's variables
        assertInstanceOf(DefaultCredentialsProvider.class, AwsClients.credentials(Map.of(
                "AWS_ACCESS_KEY_ID", "test", "AWS_SECRET_ACCESS_KEY", "test")));
        // SnapStart: Lambda gives no credential variables, the container endpoint instead
        assertInstanceOf(DefaultCredentialsProvider.class, AwsClients.credentials(Map.of(
                "AWS_LAMBDA_FUNCTION_NAME", "chunkflow-GetJob",
                "AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9001/2021-04-23/credentials")));
        assertInstanceOf(DefaultCredentialsProvider.class, AwsClients.credentials(Map.of()));
    }
}
