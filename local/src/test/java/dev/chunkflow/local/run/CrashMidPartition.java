package dev.chunkflow.local.run;

import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A fan-out partition worker dying half way through its partition, once per test: named in
 * {@code CHUNKFLOW_SDK_INTERCEPTORS}, it fails the first PutObject of a partition's second chunk, after
 * its first chunk's objects may already be in S3 and before the partition's result is. The invocation
 * fails with {@link InjectedCrash}, which the state machine's {@code States.TaskFailed} retrier retries.
 */
public final class CrashMidPartition implements ExecutionInterceptor {
    private static final Pattern SECOND_CHUNK = Pattern.compile(".*/chunks/\\d{5}/00001\\.(data|keys\\.json\\.gz)");
    /** The key whose PUT crashed (null: not yet); reset by the test. */
    static final AtomicReference<String> CRASHED_AT = new AtomicReference<>();

    /** What the crash looks like to Step Functions: a function error with this name. */
    public static final class InjectedCrash extends RuntimeException {
        InjectedCrash(String message) {
            super(message);
        }
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        if (context.request() instanceof PutObjectRequest put && SECOND_CHUNK.matcher(put.key()).matches()
                && CRASHED_AT.compareAndSet(null, put.key())) {
            throw new InjectedCrash("injected crash of a partition worker before writing " + put.key());
        }
    }
}
