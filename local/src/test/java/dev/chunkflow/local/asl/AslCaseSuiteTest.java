package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;

import dev.chunkflow.local.asl.cases.CaseResult;
import dev.chunkflow.local.asl.cases.CaseRunner;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;

/** The project's own ASL cases (src/test/resources/asl), the S3 ones against the embedded S3 server. */
@ExtendWith(AwsExtension.class)
class AslCaseSuiteTest {
    static Path resource(String name) throws URISyntaxException {
        return Path.of(AslCaseSuiteTest.class.getClassLoader().getResource(name).toURI());
    }

    @TestFactory
    Stream<DynamicTest> ownCases() throws URISyntaxException {
        return cases(resource("asl"), new CaseRunner());
    }

    @TestFactory
    Stream<DynamicTest> ownS3Cases(EmbeddedAws aws) throws URISyntaxException {
        return cases(resource("asl/s3"), new CaseRunner(aws.s3()));
    }

    private static Stream<DynamicTest> cases(Path dir, CaseRunner runner) {
        List<Path> files = CaseRunner.caseFiles(dir);
        assertFalse(files.isEmpty(), "no case files in " + dir);
        return files.stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            CaseResult r = runner.run(p);
            assertTrue(r.passed(), r.failure());
        }));
    }
}
