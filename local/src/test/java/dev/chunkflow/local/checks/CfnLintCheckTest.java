package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * cfn-lint (the Python one, 1.x, which applies the SAM transform first and then checks the generated
 * resources against CloudFormation's schemas; the npm port had false positives on this template) on
 * template.yaml. Optional: scripts/install-tools.sh does not install it, so a missing cfn-lint skips this
 * check, loudly, even in CI.
 */
class CfnLintCheckTest {

    private static java.nio.file.Path cfnLint() {
        Optional<java.nio.file.Path> cfnLint = Repo.onPath("cfn-lint");
        if (cfnLint.isEmpty()) {
            System.err.println("!!!!! SKIPPED CHECK: cfn-lint is not installed (pip install cfn-lint)");
        }
        Assumptions.assumeTrue(cfnLint.isPresent(), "cfn-lint is not installed (pip install cfn-lint)");
        return cfnLint.get();
    }

    @Test
    void templatePassesCfnLint() {
        Repo.Result r = Repo.run(List.of(cfnLint().toString(), "template.yaml"), Repo.root(), Duration.ofMinutes(3));
        assertEquals(0, r.exitCode(), "cfn-lint findings on template.yaml:\n" + r.output());
    }

    /** The check can fail: a Lambda limit broken inside a SAM function (Timeout above 900 s) is found. */
    @Test
    void cfnLintFindsALimitBrokenInsideTheSamTransform(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws java.io.IOException {
        java.nio.file.Path cfnLint = cfnLint();
        String text = java.nio.file.Files.readString(Repo.root().resolve("template.yaml"));
        String broken = text.replace("      Timeout: 300\n", "      Timeout: 1300\n");
        org.junit.jupiter.api.Assertions.assertNotEquals(text, broken);
        java.nio.file.Path copy = tmp.resolve("template.yaml");
        java.nio.file.Files.writeString(copy, broken);
        Repo.Result r = Repo.run(List.of(cfnLint.toString(), copy.toString()), Repo.root(), Duration.ofMinutes(3));
        org.junit.jupiter.api.Assertions.assertNotEquals(0, r.exitCode(), r.output());
        org.junit.jupiter.api.Assertions.assertTrue(r.output().contains("E3034"), r.output());
    }
}
