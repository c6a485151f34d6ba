package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** statemachines/*.asl.json pass the npm asl-validator (installed into .tools/ by scripts/install-tools.sh). */
class AslValidatorCheckTest {

    private static Path validator() {
        Path root = Repo.root();
        return Repo.requireTool("asl-validator", List.of(root.resolve(".tools/node_modules/.bin/asl-validator")),
                "run `bash scripts/install-tools.sh` (npm install asl-validator@4.0.0 into .tools/)");
    }

    @Test
    void everyDefinitionIsValidAmazonStatesLanguage() {
        Path validator = validator();
        List<Path> files = Repo.list(Repo.root().resolve("statemachines"), "*.asl.json");
        assertFalse(files.isEmpty());
        for (Path file : files) {
            Repo.Result r = Repo.run(List.of(validator.toString(), "--json-path", file.toString()),
                    Repo.root(), Duration.ofMinutes(2));
            assertEquals(0, r.exitCode(), file.getFileName() + " fails asl-validator:\n" + r.output());
        }
    }

    @Test
    void theValidatorRejectsABrokenDefinition(@TempDir Path dir) throws Exception {
        // Guards the check itself: a definition with a dangling Next must not pass.
        Path validator = validator();
        String good = Files.readString(Repo.root().resolve("statemachines/etl-pipeline.asl.json"));
        Path broken = dir.resolve("broken.asl.json");
        Files.writeString(broken, good.replace("\"Next\": \"Summarize\"", "\"Next\": \"NoSuchState\""));
        Repo.Result r = Repo.run(List.of(validator.toString(), "--json-path", broken.toString()), dir, Duration.ofMinutes(2));
        assertNotEquals(0, r.exitCode(), "asl-validator accepted a dangling Next:\n" + r.output());
    }
}
