package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * cfn-lint (which applies the SAM transform first) on template.yaml. Optional: scripts/install-tools.sh
 * does not install it, so a missing cfn-lint skips this check, loudly, even in CI.
 */
class CfnLintCheckTest {

    @Test
    void templatePassesCfnLint() {
        Optional<java.nio.file.Path> cfnLint = Repo.onPath("cfn-lint");
        if (cfnLint.isEmpty()) {
            System.err.println("!!!!! SKIPPED CHECK: cfn-lint is not installed (pip install cfn-lint)");
        }
        Assumptions.assumeTrue(cfnLint.isPresent(), "cfn-lint is not installed (pip install cfn-lint)");
        Repo.Result r = Repo.run(List.of(cfnLint.get().toString(), "template.yaml"), Repo.root(), Duration.ofMinutes(3));
        assertEquals(0, r.exitCode(), "cfn-lint findings on template.yaml:\n" + r.output());
    }
}
