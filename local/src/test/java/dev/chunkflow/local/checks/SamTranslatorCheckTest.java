package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.TemplateValue;
import dev.chunkflow.settings.NumberSetting;
import dev.chunkflow.settings.Settings;

/**
 * The real SAM translator (Python package aws-sam-translator, what CloudFormation runs for the
 * AWS::Serverless transform) on template.yaml: a parameter override must reach the `live` alias. SAM
 * hashes a version's logical id from the template text with `!Ref Param` unresolved (SAM issue #3820,
 * also with AutoPublishAliasAllProperties), so the template gives each function a VersionDescription
 * naming the parameters it reads: a changed value changes that description once CloudFormation resolves
 * it, and a Version's Description can only be replaced, which publishes a new version the alias follows.
 * Skipped, loudly, where python3 has no samtranslator.
 */
class SamTranslatorCheckTest {
    private static final String SCRIPT = "checks/sam_versions.py";

    @TempDir
    static Path tmp;
    static Path script;

    @BeforeAll
    static void requireTranslator() throws IOException {
        Path python = Repo.requireTool("python3", List.of(), "install Python 3 and `pip install aws-sam-translator`");
        Repo.Result probe = Repo.run(List.of(python.toString(), "-c", "import samtranslator"), Repo.root(), Duration.ofMinutes(1));
        if (probe.exitCode() != 0) {
            System.err.println("!!!!! SKIPPED CHECK: python3 has no samtranslator (pip install aws-sam-translator)");
        }
        Assumptions.assumeTrue(probe.exitCode() == 0, "python3 has no samtranslator (pip install aws-sam-translator)");
        script = tmp.resolve("sam_versions.py");
        try (var in = SamTranslatorCheckTest.class.getClassLoader().getResourceAsStream(SCRIPT)) {
            Files.copy(in, script);
        }
    }

    /** Per parameter set: function logical id -> {logical_id, description} of its AWS::Lambda::Version. */
    private static List<JsonNode> versions(Path template, List<Map<String, Object>> parameterSets) {
        Repo.Result r = Repo.run(List.of("python3", script.toString(), template.toString(), Repo.JSON.valueToTree(parameterSets).toString()),
                Repo.root(), Duration.ofMinutes(3));
        assertEquals(0, r.exitCode(), "SAM transform failed:\n" + r.output());
        List<JsonNode> out = new ArrayList<>();
        for (String line : r.output().lines().filter(l -> l.startsWith("{")).toList()) {
            try {
                out.add(Repo.JSON.readTree(line));
            } catch (IOException e) {
                throw new AssertionError("unreadable translator output: " + line, e);
            }
        }
        assertEquals(parameterSets.size(), out.size(), r.output());
        return out;
    }

    @Test
    void aParameterOverrideReplacesTheVersionOfEveryFunctionThatReadsIt() {
        List<Map<String, Object>> sets = new ArrayList<>();
        sets.add(Map.of());
        for (NumberSetting s : Settings.NUMBERS) {
            long other = s.defaultValue() == s.min() ? s.max() : s.min();
            sets.add(Map.of(s.templateParameter(), other));
        }
        List<JsonNode> all = versions(Repo.root().resolve("template.yaml"), sets);
        JsonNode base = all.get(0);
        List<String> wrong = new ArrayList<>();
        for (int i = 1; i < sets.size(); i++) {
            String param = sets.get(i).keySet().iterator().next();
            JsonNode changed = all.get(i);
            for (FunctionDef fn : Repo.template().functions().values()) {
                boolean reads = fn.environment().containsValue(new TemplateValue.Ref(param));
                JsonNode before = base.get(fn.logicalId());
                JsonNode after = changed.get(fn.logicalId());
                boolean newVersion = !before.equals(after);
                if (reads != newVersion) {
                    wrong.add(param + " override: " + fn.logicalId() + (reads ? " reads it but keeps " : " does not read it but changes ")
                            + before + " -> " + after);
                }
            }
        }
        assertTrue(wrong.isEmpty(), "a parameter override must publish a new version exactly where the function reads it:\n"
                + String.join("\n", wrong));
    }

    @Test
    void aPropertyChangeInTheTemplateTextPublishesANewVersion() throws IOException {
        String text = Files.readString(Repo.root().resolve("template.yaml"));
        Map<String, Object> timeouts = new LinkedHashMap<>();
        int at = text.indexOf("  ProcessChunkFunction:\n");
        int timeout = text.indexOf("      Timeout: ", at);
        int end = text.indexOf('\n', timeout);
        String changed = text.substring(0, timeout) + "      Timeout: 299" + text.substring(end);
        assertNotEquals(text, changed);
        Path copy = tmp.resolve("template-timeout.yaml");
        Files.writeString(copy, changed);
        JsonNode before = versions(Repo.root().resolve("template.yaml"), List.of(timeouts)).get(0);
        JsonNode after = versions(copy, List.of(timeouts)).get(0);
        assertNotEquals(before.get("ProcessChunkFunction").get("logical_id"), after.get("ProcessChunkFunction").get("logical_id"),
                "AutoPublishAliasAllProperties: a Timeout change must publish a new ProcessChunk version");
        assertEquals(before.get("GetJobFunction"), after.get("GetJobFunction"));
    }
}
