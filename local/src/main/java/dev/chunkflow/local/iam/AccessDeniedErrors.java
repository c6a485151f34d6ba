package dev.chunkflow.local.iam;

import java.util.UUID;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;
import software.amazon.awssdk.services.sfn.model.SfnException;

/**
 * The exception each service's SDK client throws when IAM denies a call, with AWS's message: S3
 * {@code AccessDenied} (403), DynamoDB, Step Functions, Secrets Manager and others
 * {@code AccessDeniedException} (400; Lambda 403).
 */
public final class AccessDeniedErrors {
    private AccessDeniedErrors() {
    }

    /**
     * "User: arn:aws:sts::...:assumed-role/ROLE/SESSION is not authorized to perform: ACTION on resource: RES
     * because no identity-based policy allows the ACTION action" (S3 quotes the resource).
     */
    public static String message(IamPrincipal p, IamRequest r, Decision d, boolean resourceBased, boolean quoteResource) {
        String resource = quoteResource ? "\"" + r.resource() + "\"" : r.resource();
        return "User: " + p.sessionArn() + " is not authorized to perform: " + r.action() + " on resource: " + resource
                + " " + d.reason(r.action(), resourceBased);
    }

    public static AwsServiceException forService(String sdkServiceName, String message) {
        String requestId = UUID.randomUUID().toString();
        return switch (sdkServiceName) {
            case "S3" -> S3Exception.builder().message(message).statusCode(403).requestId(requestId)
                    .awsErrorDetails(details("AccessDenied", message, "S3", 403)).build();
            case "DynamoDb" -> DynamoDbException.builder().message(message).statusCode(400).requestId(requestId)
                    .awsErrorDetails(details("AccessDeniedException", message, "DynamoDb", 400)).build();
            case "Sfn" -> SfnException.builder().message(message).statusCode(400).requestId(requestId)
                    .awsErrorDetails(details("AccessDeniedException", message, "Sfn", 400)).build();
            case "SecretsManager" -> SecretsManagerException.builder().message(message).statusCode(400).requestId(requestId)
                    .awsErrorDetails(details("AccessDeniedException", message, "SecretsManager", 400)).build();
            default -> {
                int status = sdkServiceName.equals("Lambda") ? 403 : 400;
                yield AwsServiceException.builder().message(message).statusCode(status).requestId(requestId)
                        .awsErrorDetails(details("AccessDeniedException", message, sdkServiceName, status)).build();
            }
        };
    }

    private static AwsErrorDetails details(String code, String message, String service, int status) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(message).serviceName(service)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
    }
}
