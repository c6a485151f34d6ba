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
 * The shared conformance suite (expectations recorded on real AWS), read from
 * {@code <repo>/../shared/asl-conformance}; skipped when that folder is absent (a user's checkout).
 */
class AslConformanceTest {
    @TestFactory
    Stream<DynamicTest> sharedConformanceCases() {
        String root = System.getProperty("chunkflow.repo.root", ".");
        Path dir = Path.of(root).resolve("../shared/asl-conformance").normalize();
        assumeTrue(Files.isDirectory(dir), "shared ASL conformance suite not found at " + dir + " (skipped: it is not part of the project)");
        CaseRunner runner = new CaseRunner();
        return CaseRunner.caseFiles(dir).stream().map(p -> DynamicTest.dynamicTest(p.getFileName().toString(), () -> {
            CaseResult r = runner.run(p);
            assertTrue(r.passed(), r.failure());
        }));
    }
}
