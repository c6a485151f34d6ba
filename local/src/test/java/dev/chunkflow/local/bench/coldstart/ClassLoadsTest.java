package dev.chunkflow.local.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

class ClassLoadsTest {

    @Test
    void countsEachSourceAndTimesTheSdkServiceMetadata() {
        List<String> log = List.of(
                "[0.010s][info][class,load] java.lang.Object source: shared objects file",
                "[0.020s][info][class,load] java.lang.Foo source: jrt:/java.base",
                "[0.100s][info][class,load] software.amazon.awssdk.regions.servicemetadata.S3ServiceMetadata source: "
                        + "file:/x/chunkflow-lambda.jar",
                "[0.350s][info][class,load] software.amazon.awssdk.regions.servicemetadata.SqsServiceMetadata source: "
                        + "file:/x/chunkflow-lambda.jar",
                "[0.400s][info][class,load] software.amazon.awssdk.services.s3.S3Client source: file:/x/chunkflow-lambda.jar",
                "[0.410s][info][class,load] com.fasterxml.jackson.databind.ObjectMapper source: file:/x/chunkflow-lambda.jar",
                "[0.420s][info][class,load] dev.chunkflow.local.bench.launch.ColdStartLauncher source: file:/tmp/launcher/",
                "[0.430s][info][class,load] jdk.internal.reflect.Generated1 source: __JVM_LookupDefineClass__",
                "[0.440s][info][gc] not a class load line");
        ClassLoads c = ClassLoads.parse(log, "chunkflow-lambda.jar");
        assertEquals(8, c.total());
        assertEquals(1, c.cds());
        assertEquals(1, c.jdk());
        assertEquals(4, c.appJar());
        assertEquals(1, c.runtime());
        assertEquals(1, c.other());
        assertEquals(2, c.serviceMetadataClasses());
        assertEquals(250.0, c.serviceMetadataMs(), 1e-6);
        assertEquals(Map.of("awssdk.regions", 2L, "awssdk.services.s3", 1L, "jackson", 1L), c.topAppPackages());
    }

    @Test
    void packageGroupsNameTheSdkServiceOrModule() {
        assertEquals("awssdk.services.dynamodb", PackageGroup.of("software.amazon.awssdk.services.dynamodb.model.PutItemRequest"));
        assertEquals("awssdk.core", PackageGroup.of("software.amazon.awssdk.core.SdkBytes"));
        assertEquals("aws-lambda-java-events", PackageGroup.of("com.amazonaws.services.lambda.runtime.events.S3Event"));
        assertEquals("aws-lambda-java-core", PackageGroup.of("com.amazonaws.services.lambda.runtime.Context"));
        assertEquals("dev.chunkflow", PackageGroup.of("dev.chunkflow.jobs.JobStore"));
        assertEquals("org.slf4j.helpers", PackageGroup.of("org.slf4j.helpers.NOPLogger"));
    }
}
