package dev.chunkflow.local.run;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * A fan-out partition worker dying half way through its partition, once per run: named in
 * {@code CHUNKFLOW_SDK_INTERCEPTORS} of process-isolated functions, it halts the function's JVM (as a
 * crash or a lost host would) at the first PutObject of a partition's second chunk, when its first
 * chunk's objects may already be in S3 and its result is not. The first environment to create the marker
 * file {@code CHUNKFLOW_TEST_CRASH_MARKER} crashes; later ones run normally. Lambda reports such a death
 * as {@code Runtime.ExitError}.
 */
public final class CrashMidPartition implements ExecutionInterceptor {
    static final String MARKER = "CHUNKFLOW_TEST_CRASH_MARKER";
    private static final Pattern SECOND_CHUNK = Pattern.compile(".*/chunks/\\d{5}/00001\\.(data|keys\\.json\\.gz)");

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        String marker = System.getenv(MARKER);
        if (marker == null || !(context.request() instanceof PutObjectRequest put) || !SECOND_CHUNK.matcher(put.key()).matches()) {
            return;
        }
        try {
            Files.writeString(Files.createFile(Path.of(marker)), put.key());
        } catch (FileAlreadyExistsException e) {
            return;
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        Runtime.getRuntime().halt(137);
    }
}
