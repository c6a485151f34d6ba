package dev.chunkflow.e2e;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

import dev.chunkflow.sample.SampleDataGenerator;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.model.S3Object;

/** Generated source data in the embedded S3, and helpers to read objects back. */
public final class TestData {
    private TestData() {
    }

    /** Generates with {@code config} and uploads the files under {@code prefix}; returns the raw files by key. */
    public static Map<String, byte[]> upload(EmbeddedAws aws, String prefix, SampleDataGenerator.Config config) {
        SampleDataGenerator gen = new SampleDataGenerator(config);
        List<ByteArrayOutputStream> files = new ArrayList<>();
        gen.write(i -> {
            ByteArrayOutputStream o = new ByteArrayOutputStream();
            files.add(o);
            return o;
        });
        Map<String, byte[]> byKey = new LinkedHashMap<>();
        for (int i = 0; i < files.size(); i++) {
            String key = prefix + gen.fileName(i);
            byte[] body = files.get(i).toByteArray();
            aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromBytes(body));
            byKey.put(key, body);
        }
        return byKey;
    }

    /** Runs a stream handler the way Lambda does (bytes in, bytes out). */
    public static byte[] invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, byte[] input) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            handler.handleRequest(new ByteArrayInputStream(input), out, null);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    public static byte[] invoke(com.amazonaws.services.lambda.runtime.RequestStreamHandler handler, String json) {
        return invoke(handler, json.getBytes(StandardCharsets.UTF_8));
    }

    public static void put(EmbeddedAws aws, String key, String text) {
        aws.s3().putObject(b -> b.bucket(aws.bucket()).key(key), RequestBody.fromString(text, StandardCharsets.UTF_8));
    }

    public static byte[] get(EmbeddedAws aws, String key) {
        return aws.s3().getObjectAsBytes(b -> b.bucket(aws.bucket()).key(key)).asByteArray();
    }

    public static String gunzip(byte[] gz) {
        try {
            return new String(new GZIPInputStream(new ByteArrayInputStream(gz)).readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Text of a source file (gunzipped when needed). */
    public static String text(String key, byte[] body) {
        return key.endsWith(".gz") ? gunzip(body) : new String(body, StandardCharsets.UTF_8);
    }

    /** Every object under a prefix with its bytes, in key order. */
    public static Map<String, byte[]> objects(EmbeddedAws aws, String prefix) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        for (S3Object o : aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(prefix)).contents()) {
            out.put(o.key(), get(aws, o.key()));
        }
        return out;
    }

    /**
     * Deletes every object under each prefix. The suite shares one in-memory S3 server, so tests that
     * write hundreds of MB free them here instead of holding them in the test JVM's heap until the end.
     */
    public static void deleteUnder(EmbeddedAws aws, String... prefixes) {
        for (String prefix : prefixes) {
            for (var page : aws.s3().listObjectsV2Paginator(b -> b.bucket(aws.bucket()).prefix(prefix))) {
                if (!page.contents().isEmpty()) {
                    aws.s3().deleteObjects(b -> b.bucket(aws.bucket()).delete(d -> d.objects(page.contents().stream()
                            .map(o -> software.amazon.awssdk.services.s3.model.ObjectIdentifier.builder().key(o.key()).build())
                            .toList())));
                }
            }
        }
    }
}
