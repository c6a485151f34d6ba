package dev.chunkflow.local.iam;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.SdkResponse;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Error;

/**
 * Authorizes every call one principal's SDK clients make before it is sent, as AWS would on receipt:
 * a denied call throws the service's AccessDenied exception and never reaches the server. Also turns
 * the local S3 server's 404 for a GetObject/HeadObject of a missing key into S3's 403 AccessDenied when
 * the role lacks {@code s3:ListBucket} on the bucket.
 */
final class IamInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<String> MISSING_KEY_DENIED = new ExecutionAttribute<>("chunkflow.iam.missingKeyDenied");
    private static final ExecutionAttribute<Map<String, String>> DENIED_DELETES = new ExecutionAttribute<>("chunkflow.iam.deniedDeletes");
    private static final String NOTHING_KEY = ".chunkflow-iam/denied-delete-placeholder";

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
        if (request instanceof DeleteObjectsRequest delete) {
            deniedDeletes(delete, checks, attributes);
            return;
        }
        for (IamRequest check : checks) {
            String denied = iam.authorize(principal, check);
            if (denied != null) {
                throw AccessDeniedErrors.forService(service, denied);
            }
        }
    }

    /**
     * DeleteObjects is authorized key by key: S3 deletes the allowed keys and reports each denied one in
     * the response's {@code Errors} with {@code AccessDenied}, still answering 200.
     */
    private void deniedDeletes(DeleteObjectsRequest delete, List<IamRequest> checks, ExecutionAttributes attributes) {
        Map<String, String> denied = new LinkedHashMap<>();
        List<ObjectIdentifier> objects = delete.delete().objects();
        for (int i = 0; i < objects.size(); i++) {
            String message = iam.authorize(principal, checks.get(i));
            if (message != null) {
                denied.put(objects.get(i).key(), message);
            }
        }
        if (!denied.isEmpty()) {
            attributes.putAttribute(DENIED_DELETES, denied);
        }
    }

    @Override
    public SdkRequest modifyRequest(Context.ModifyRequest context, ExecutionAttributes attributes) {
        Map<String, String> denied = attributes.getAttribute(DENIED_DELETES);
        if (denied == null || !(context.request() instanceof DeleteObjectsRequest delete)) {
            return context.request();
        }
        List<ObjectIdentifier> allowed = delete.delete().objects().stream().filter(o -> !denied.containsKey(o.key())).toList();
        if (allowed.isEmpty()) {
            // S3 refuses an empty Delete; a key that cannot exist keeps the call (and its 200) as AWS answers it.
            allowed = List.of(ObjectIdentifier.builder().key(NOTHING_KEY).build());
        }
        List<ObjectIdentifier> send = allowed;
        return delete.toBuilder().delete(d -> d.objects(send).quiet(delete.delete().quiet())).build();
    }

    @Override
    public SdkResponse modifyResponse(Context.ModifyResponse context, ExecutionAttributes attributes) {
        Map<String, String> denied = attributes.getAttribute(DENIED_DELETES);
        if (denied == null || !(context.response() instanceof DeleteObjectsResponse response)) {
            return context.response();
        }
        List<S3Error> errors = new ArrayList<>(response.errors());
        denied.forEach((key, message) -> errors.add(S3Error.builder().key(key).code("AccessDenied").message(message).build()));
        List<DeletedObject> deleted = response.deleted().stream().filter(d -> !NOTHING_KEY.equals(d.key())).toList();
        return response.toBuilder().deleted(deleted).errors(errors).build();
    }

    /**
     * The local server's 404 for a missing key becomes S3's 403 AccessDenied (status and error document)
     * before the SDK reads it, when the role lacks {@code s3:ListBucket} on the bucket.
     */
    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        SdkHttpResponse response = context.httpResponse();
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        if (response.statusCode() != 404 || !"S3".equals(attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME))
                || !("GetObject".equals(operation) || "HeadObject".equals(operation))) {
            return response;
        }
        String bucket = context.request().getValueForField("Bucket", String.class).orElse(null);
        String key = context.request().getValueForField("Key", String.class).orElse(null);
        String message = bucket == null ? null : iam.missingKeyDenied(principal, bucket, key);
        if (message == null) {
            return response;
        }
        attributes.putAttribute(MISSING_KEY_DENIED, message);
        return response.toBuilder().statusCode(403).statusText("Forbidden").build();
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        String message = attributes.getAttribute(MISSING_KEY_DENIED);
        if (message == null) {
            return context.responseBody();
        }
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>AccessDenied</Code><Message>"
                + message.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;")
                + "</Message><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></Error>";
        return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }
}
