package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import dev.chunkflow.local.asl.cases.CaseResult;
import dev.chunkflow.local.asl.cases.CaseRunner;

/**
 * The shared conformance suites (expectations recorded on real AWS), read from
 * {@code <repo>/../shared/asl-conformance} (JSONPath) and {@code <repo>/../shared/asl-conformance-jsonata}
 * (JSONata and variables); each is skipped when its folder is absent (a user's checkout).
 */
class AslConformanceTest {
    @TestFactory
    Stream<DynamicTest> sharedConformanceCases() {
        return cases("asl-conformance");
    }

    @TestFactory
    Stream<DynamicTest> sharedJsonataConformanceCases() {
        return cases("asl-conformance-jsonata");
    }

    private static Stream<DynamicTest> cases(String folder) {
        String root = System.getProperty("chunkflow.repo.root", ".");
        Path dir = Path.of(root).resolve("../shared").resolve(folder).normalize();
        assumeTrue(Files.isDirectory(dir), "shared ASL conformance suite not found at " + dir + " (skipped: it is not part of the project)");
        CaseRunner runner = new CaseRunner();
        return CaseRunner.caseFiles(dir).stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            CaseResult r = runner.run(p);
            assertTrue(r.passed(), r.failure());
        }));
    }
}
