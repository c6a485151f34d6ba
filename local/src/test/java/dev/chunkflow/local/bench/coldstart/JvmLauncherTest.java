package dev.chunkflow.local.bench.coldstart;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.amazonaws.services.lambda.runtime.RequestHandler;

import dev.chunkflow.local.bench.launch.HelloHandler;

/** Real child JVMs on the cold start's class path: the launcher's protocol read back, a failed start told apart. */
class JvmLauncherTest {
    @TempDir
    Path dir;

    /** Stands in for the Lambda jar: the one piece of it the launcher and the floor need (aws-lambda-java-core). */
    private static Path lambdaCoreJar() throws Exception {
        return Path.of(RequestHandler.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    }

    private JvmLauncher launcher(Path lambdaJar) throws Exception {
        String classpath = LambdaClassPath.build(dir, lambdaJar);
        return new JvmLauncher(classpath, Files.createDirectories(dir.resolve("tmp")), Files.createDirectories(dir.resolve("logs")));
    }

    private static Target target(String name, String handler) {
        return new Target(name, handler, 1024, "n/a", Target.lambdaEnv("HelloFunction", 1024, Map.of(), Map.of(), null));
    }

    @Test
    void theFloorAnswersThroughTheLauncherAndItsStartSplitsIntoParts() throws Exception {
        Path jar = lambdaCoreJar();
        JvmLauncher launcher = launcher(jar);
        Path event = new SampleEvents(dir, Files.createDirectories(dir.resolve("events")), "input/x/", 1).floor();
        Target floor = target(ColdStart.FLOOR, HelloHandler.class.getName() + "::handleRequest");

        Sample s = launcher.launch(floor, event, List.of(), "floor-1");

        assertTrue(s.ok(), s.error());
        assertEquals("\"hello, cold start\"", Files.readString(dir.resolve("logs/floor-1.response.json"), StandardCharsets.UTF_8));
        assertTrue(s.ms() > 0 && s.init() >= 0 && s.invoke() >= 0 && s.classes() > 0, s.toString());
        ClassLoads loads = launcher.classLoads(floor, event, jar);
        assertNotNull(loads);
        assertTrue(loads.total() > 0 && loads.runtime() > 0, loads.toString());
        assertTrue(loads.appJar() > 0 && loads.topAppPackages().containsKey("aws-lambda-java-core"), loads.toString());
    }

    @Test
    void aHandlerThatCannotBeLoadedIsAFailedStartWithItsReason() throws Exception {
        JvmLauncher launcher = launcher(lambdaCoreJar());
        Path event = new SampleEvents(dir, Files.createDirectories(dir.resolve("events")), "input/x/", 1).floor();

        Sample s = launcher.launch(target("GetJobFunction", "no.such.Handler::handleRequest"), event, List.of(), "missing-1");

        assertFalse(s.ok());
        assertTrue(s.error().startsWith("handler failed: ") && s.error().contains("ClassNotFoundException"), s.error());
    }

    @Test
    void onlyResponsesThatLookRightCount() {
        byte[] ok = "{\"statusCode\": 202, \"body\": \"{}\"}".getBytes(StandardCharsets.UTF_8);
        assertNull(ResponseCheck.problem("StartJobFunction", ok));
        assertEquals("HTTP 500 boom", ResponseCheck.problem("GetJobFunction",
                "{\"statusCode\": 500, \"body\": \"boom\"}".getBytes(StandardCharsets.UTF_8)));
        assertEquals("dev.chunkflow.etl.InvalidInput: bad", ResponseCheck.problem("ProcessChunkFunction",
                "{\"errorType\": \"dev.chunkflow.etl.InvalidInput\", \"errorMessage\": \"bad\"}".getBytes(StandardCharsets.UTF_8)));
        assertTrue(ResponseCheck.problem("SummarizeFunction", "{}".getBytes(StandardCharsets.UTF_8)).startsWith("response lacks summary_key"));
        assertEquals("unexpected floor response \"hi\"", ResponseCheck.problem(ColdStart.FLOOR, "\"hi\"".getBytes(StandardCharsets.UTF_8)));
    }
}
