package dev.chunkflow.local.faults;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.UUID;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.dynamodb.model.InternalServerErrorException;
import software.amazon.awssdk.services.dynamodb.model.ProvisionedThroughputExceededException;
import software.amazon.awssdk.services.dynamodb.model.ThrottlingException;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * Injects {@link InvocationFaults} into the SDK calls of one execution environment, and records the
 * calls each invocation makes ({@code Service.Operation}, in order). One instance per environment: an
 * environment serves one invocation at a time, so every call between {@link #begin} and {@link #end}
 * belongs to that invocation, whichever of the handler's threads makes it.
 *
 * <p>Where each fault happens in the SDK's pipeline:
 * <ul>
 * <li>service errors ({@code s3-503}, {@code ddb-throttling}, ...) are thrown before the attempt is
 * transmitted, so the request is not applied; they are the exception classes, codes and statuses the
 * SDK builds from AWS's error response, so its retry policy treats them as it would AWS's;
 * <li>{@code ambiguous}: the attempt is transmitted and applied, then the client sees a read timeout
 * ({@code SdkClientException} caused by {@code SocketTimeoutException}), which the SDK retries;
 * <li>{@code get-reset}: the GetObject body throws {@code IOException: Connection reset} after half of
 * its bytes;
 * <li>crashes: right before the call is sent, or right after it returned, {@link CrashAction} ends the
 * environment (kills its process under process isolation).
 * </ul>
 * Under {@link FaultScope#ATTEMPT} only the first HTTP attempt of the call is hit; under {@link FaultScope#CALL}
 * every attempt is.
 */
public final class FaultInterceptor implements ExecutionInterceptor {
    private static final ExecutionAttribute<FaultKind> KIND = new ExecutionAttribute<>("chunkflow.fault.kind");
    private static final ExecutionAttribute<Integer> ATTEMPT = new ExecutionAttribute<>("chunkflow.fault.attempt");
    private static final ExecutionAttribute<Integer> CALL = new ExecutionAttribute<>("chunkflow.fault.call");

    /** Ends the environment; never returns normally. */
    @FunctionalInterface
    public interface CrashAction {
        void crash(String where);
    }

    private final CrashAction crashAction;
    private InvocationFaults faults = InvocationFaults.NONE;
    private SplittableRandom random;
    private final List<String> calls = new ArrayList<>();
    private final List<String> injected = new ArrayList<>();
    private volatile boolean crashed;

    public FaultInterceptor(CrashAction crashAction) {
        this.crashAction = crashAction;
    }

    /** In this JVM: the environment is marked crashed and the call ends with a {@link SandboxCrash}. */
    public static FaultInterceptor inProcess() {
        FaultInterceptor[] self = new FaultInterceptor[1];
        self[0] = new FaultInterceptor(where -> {
            self[0].crashed = true;
            throw new SandboxCrash(where);
        });
        return self[0];
    }

    /** Starts an invocation with these faults. */
    public synchronized void begin(InvocationFaults f) {
        faults = f == null ? InvocationFaults.NONE : f;
        random = faults.rate() > 0 ? new SplittableRandom(faults.seed()) : null;
        calls.clear();
        injected.clear();
        crashed = false;
    }

    /** Ends the invocation; returns the calls it made. */
    public synchronized List<String> end() {
        faults = InvocationFaults.NONE;
        random = null;
        return List.copyOf(calls);
    }

    /** The faults injected in the current (or last) invocation, e.g. {@code 3 S3.PutObject s3-503}. */
    public synchronized List<String> injected() {
        return List.copyOf(injected);
    }

    public boolean crashed() {
        return crashed;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (crashed) {
            throw new SandboxCrash("(the environment is gone)");
        }
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        FaultKind kind;
        int call;
        synchronized (this) {
            calls.add(service + "." + operation);
            call = calls.size();
            kind = choose(call, service, operation);
            if (kind != null) {
                injected.add(call + " " + service + "." + operation + " " + kind.label());
            }
        }
        attributes.putAttribute(CALL, call);
        if (kind == null) {
            return;
        }
        attributes.putAttribute(KIND, kind);
        if (kind == FaultKind.CRASH_BEFORE) {
            crashAction.crash("before SDK call " + call + " (" + service + "." + operation + ")");
        }
    }

    private FaultKind choose(int call, String service, String operation) {
        FaultKind fixed = faults.fixedAt(call);
        if (fixed != null) {
            return fixed.appliesTo(service, operation) ? fixed : null;
        }
        if (random == null) {
            return null;
        }
        double r = random.nextDouble();
        int pick = random.nextInt(1 << 16);
        if (r >= faults.rate()) {
            return null;
        }
        List<FaultKind> kinds = FaultKind.applicable(service, operation);
        return kinds.get(pick % kinds.size());
    }

    private boolean hits(ExecutionAttributes attributes) {
        Integer attempt = attributes.getAttribute(ATTEMPT);
        return faults.scope() == FaultScope.CALL || attempt == null || attempt == 1;
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        Integer previous = attributes.getAttribute(ATTEMPT);
        attributes.putAttribute(ATTEMPT, previous == null ? 1 : previous + 1);
        FaultKind kind = attributes.getAttribute(KIND);
        if (kind != null && hits(attributes)) {
            AwsServiceException e = serviceError(kind);
            if (e != null) {
                throw e;
            }
        }
    }

    @Override
    public void afterTransmission(Context.AfterTransmission context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(KIND) == FaultKind.AMBIGUOUS && hits(attributes)) {
            throw SdkClientException.builder()
                    .message("Unable to execute HTTP request: Read timed out (injected: the request was applied)")
                    .cause(new SocketTimeoutException("Read timed out")).build();
        }
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        Optional<InputStream> body = context.responseBody();
        if (attributes.getAttribute(KIND) != FaultKind.GET_RESET || !hits(attributes) || body.isEmpty()
                || context.httpResponse().statusCode() / 100 != 2) {
            return body;
        }
        long length = context.httpResponse().firstMatchingHeader("Content-Length").map(Long::parseLong).orElse(0L);
        return Optional.of(new ResetHalfway(body.get(), length / 2));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        if (attributes.getAttribute(KIND) == FaultKind.CRASH_AFTER) {
            String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
            crashAction.crash("after SDK call " + attributes.getAttribute(CALL) + " ("
                    + attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME) + "." + operation + ")");
        }
    }

    /** What the SDK would have built from AWS's error response; null for kinds that are not service errors. */
    static AwsServiceException serviceError(FaultKind kind) {
        String requestId = UUID.randomUUID().toString();
        return switch (kind) {
            case S3_SLOW_DOWN -> s3(503, "SlowDown", "Please reduce your request rate.", requestId);
            case S3_INTERNAL_ERROR -> s3(500, "InternalError", "We encountered an internal error. Please try again.", requestId);
            case DDB_THROTTLING -> (AwsServiceException) ThrottlingException.builder()
                    .awsErrorDetails(details(400, "ThrottlingException", "Rate of requests exceeds the allowed throughput.", "DynamoDb"))
                    .statusCode(400).requestId(requestId)
                    .message(message("Rate of requests exceeds the allowed throughput.", "DynamoDb", 400, requestId)).build();
            case DDB_THROUGHPUT_EXCEEDED -> (AwsServiceException) ProvisionedThroughputExceededException.builder()
                    .awsErrorDetails(details(400, "ProvisionedThroughputExceededException",
                            "The level of configured provisioned throughput for the table was exceeded.", "DynamoDb"))
                    .statusCode(400).requestId(requestId)
                    .message(message("The level of configured provisioned throughput for the table was exceeded.", "DynamoDb", 400, requestId))
                    .build();
            case DDB_INTERNAL_ERROR -> (AwsServiceException) InternalServerErrorException.builder()
                    .awsErrorDetails(details(500, "InternalServerError", "Internal server error", "DynamoDb"))
                    .statusCode(500).requestId(requestId).message(message("Internal server error", "DynamoDb", 500, requestId)).build();
            default -> null;
        };
    }

    private static AwsServiceException s3(int status, String code, String text, String requestId) {
        return (AwsServiceException) S3Exception.builder().awsErrorDetails(details(status, code, text, "S3"))
                .statusCode(status).requestId(requestId).message(message(text, "S3", status, requestId)).build();
    }

    private static AwsErrorDetails details(int status, String code, String text, String service) {
        return AwsErrorDetails.builder().errorCode(code).errorMessage(text).serviceName(service)
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(status).build()).build();
    }

    private static String message(String text, String service, int status, String requestId) {
        return text + " (Service: " + service + ", Status Code: " + status + ", Request ID: " + requestId + ") (injected)";
    }

    /** A response body whose connection resets after {@code limit} bytes. */
    private static final class ResetHalfway extends FilterInputStream {
        private long left;

        ResetHalfway(InputStream in, long limit) {
            super(in);
            this.left = limit;
        }

        @Override
        public int read() throws IOException {
            if (left <= 0) {
                throw new java.net.SocketException("Connection reset (injected)");
            }
            int b = super.read();
            if (b >= 0) {
                left--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (left <= 0) {
                throw new java.net.SocketException("Connection reset (injected)");
            }
            int n = super.read(b, off, (int) Math.min(len, left));
            if (n > 0) {
                left -= n;
            }
            return n;
        }
    }
}
