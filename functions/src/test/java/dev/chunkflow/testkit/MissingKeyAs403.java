package dev.chunkflow.testkit;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * Answers a GetObject / HeadObject of a missing key as S3 answers a caller without {@code s3:ListBucket}
 * on the bucket: 403 AccessDenied instead of 404 NoSuchKey. The local S3 server has no IAM, so it cannot
 * produce this on demand; this is the one fault the tests inject.
 */
public final class MissingKeyAs403 implements ExecutionInterceptor {
    private static final byte[] ACCESS_DENIED = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
            + "<Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>").getBytes(StandardCharsets.UTF_8);

    private static boolean missingKeyRead(Context.AfterTransmission context) {
        SdkHttpMethod method = context.httpRequest().method();
        int status = context.httpResponse().statusCode();
        return (method == SdkHttpMethod.GET || method == SdkHttpMethod.HEAD)
                && (status == 404 || status == 403) // the content hook may see the status before or after the rewrite
                && !context.httpRequest().encodedPath().matches("/?[^/]*/?"); // an object, not a bucket
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (!missingKeyRead(context)) {
            return context.httpResponse();
        }
        return context.httpResponse().toBuilder().statusCode(403).statusText("Forbidden")
                .putHeader("Content-Length", Integer.toString(ACCESS_DENIED.length)).build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        if (missingKeyRead(context) && context.httpRequest().method() == SdkHttpMethod.GET) {
            return Optional.of(new ByteArrayInputStream(ACCESS_DENIED));
        }
        return context.responseBody();
    }
}
