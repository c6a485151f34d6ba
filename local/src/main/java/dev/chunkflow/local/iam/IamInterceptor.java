package dev.chunkflow.local.iam;

import java.util.List;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Authorizes every call one principal's SDK clients make before it is sent, as AWS would on receipt:
 * a denied call throws the service's AccessDenied exception and never reaches the server. Also turns
 * the local S3 server's 404 for a GetObject/HeadObject of a missing key into S3's 403 AccessDenied when
 * the role lacks {@code s3:ListBucket} on the bucket.
 */
final class IamInterceptor implements ExecutionInterceptor {
    private final IamEnforcement iam;
    private final IamPrincipal principal;

    IamInterceptor(IamEnforcement iam, IamPrincipal principal) {
        this.iam = iam;
        this.principal = principal;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        SdkRequest request = context.request();
        List<IamRequest> checks = iam.actions().of(service, operation, request);
        for (IamRequest check : checks) {
            String denied = iam.authorize(principal, check);
            if (denied != null) {
                throw AccessDeniedErrors.forService(service, denied);
            }
        }
    }

    @Override
    public Throwable modifyException(Context.FailedExecution context, ExecutionAttributes attributes) {
        Throwable t = context.exception();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (t instanceof S3Exception e && e.statusCode() == 404
                && ("GetObject".equals(operation) || "HeadObject".equals(operation))) {
            String bucket = context.request().getValueForField("Bucket", String.class).orElse(null);
            String key = context.request().getValueForField("Key", String.class).orElse(null);
            if (bucket != null) {
                String message = iam.missingKeyDenied(principal, bucket, key);
                if (message != null) {
                    return AccessDeniedErrors.forService("S3", message);
                }
            }
        }
        return t;
    }
}
