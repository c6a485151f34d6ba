package dev.chunkflow.aws;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import java.util.Map;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.regions.Region;

class SnapStartPrimingTest {
    @Test
    void primingNeedsNoNetworkAndNoCredentials() {
        // no endpoint is reachable and no credentials are set for this region: priming must not care
        assertDoesNotThrow(() -> SnapStartPriming.prime(Region.EU_CENTRAL_1));
    }

    @Test
    void buildsTheClientsTheEnvironmentNamesWithoutNetworkOrCredentials() {
        try (AwsClients clients = new AwsClients(Env.of(Map.of("AWS_REGION", "eu-central-1", "DATA_BUCKET", "b",
                "JOBS_TABLE", "t", "STATE_MACHINE_ARN", "arn:aws:states:eu-central-1:123456789012:stateMachine:x",
                "TOKEN_SECRET_ARN", "arn:aws:secretsmanager:eu-central-1:123456789012:secret:s-AbCdEf")))) {
            assertDoesNotThrow(() -> SnapStartPriming.buildClients(clients));
        }
    }

    @Test
    void registersOnlyWhenLambdaInitializesForSnapStart() {
        new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand")));
        org.junit.jupiter.api.Assertions.assertFalse(SnapStartPriming.isRegistered());
        new AwsClients(Env.of(Map.of("AWS_REGION", "us-east-1", "AWS_LAMBDA_INITIALIZATION_TYPE", "snap-start")));
        org.junit.jupiter.api.Assertions.assertTrue(SnapStartPriming.isRegistered());
    }
}
