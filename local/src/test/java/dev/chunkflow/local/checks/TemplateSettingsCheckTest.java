package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.TemplateValue;
import dev.chunkflow.settings.NumberSetting;
import dev.chunkflow.settings.Settings;

/**
 * template.yaml against {@link Settings}, the one owner of every environment setting: each numeric
 * setting's parameter has its Default, MinValue and MaxValue (so CloudFormation refuses what the code
 * would refuse at init, instead of a version publish that fails and rolls the stack back), every function
 * passes the parameter itself, and no function is given a variable Settings does not know.
 */
class TemplateSettingsCheckTest {

    @Test
    void parametersHaveTheSettingsDefaultsAndBounds() {
        @SuppressWarnings("unchecked")
        Map<String, Map<String, Object>> params = (Map<String, Map<String, Object>>) Repo.template().raw().get("Parameters");
        List<String> wrong = new ArrayList<>();
        for (NumberSetting s : Settings.NUMBERS) {
            Map<String, Object> p = params.get(s.templateParameter());
            if (p == null) {
                wrong.add(s.templateParameter() + ": missing (feeds " + s.name() + ")");
                continue;
            }
            check(wrong, s, p, "Default", s.defaultValue());
            check(wrong, s, p, "MinValue", s.min());
            check(wrong, s, p, "MaxValue", s.max());
        }
        assertTrue(wrong.isEmpty(), "template.yaml Parameters disagree with dev.chunkflow.settings.Settings:\n  "
                + String.join("\n  ", wrong));
    }

    private static void check(List<String> wrong, NumberSetting s, Map<String, Object> p, String key, long expected) {
        Object v = p.get(key);
        if (v == null || Long.parseLong(v.toString()) != expected) {
            wrong.add(s.templateParameter() + "." + key + " is " + v + ", " + s.name() + " says " + expected);
        }
    }

    @Test
    void functionsPassEachNumericSettingFromItsParameterAndNoUnknownVariables() {
        List<String> wrong = new ArrayList<>();
        for (FunctionDef fn : Repo.template().functions().values()) {
            for (Map.Entry<String, TemplateValue> e : fn.environment().entrySet()) {
                String name = e.getKey();
                if (name.equals("JAVA_TOOL_OPTIONS")) {
                    continue;
                }
                if (!Settings.NAMES.contains(name)) {
                    wrong.add(fn.logicalId() + ": " + name + " is not a setting of dev.chunkflow.settings.Settings");
                }
                for (NumberSetting s : Settings.NUMBERS) {
                    if (s.name().equals(name) && !e.getValue().equals(new TemplateValue.Ref(s.templateParameter()))) {
                        wrong.add(fn.logicalId() + ": " + name + " must be !Ref " + s.templateParameter() + ", is " + e.getValue());
                    }
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    /**
     * SAM does not publish a new version for a parameter override (it hashes `!Ref Param` unresolved), so a
     * function's VersionDescription names every parameter its environment reads (SamTranslatorCheckTest
     * shows the effect with the real translator where it is installed).
     */
    @Test
    void everyParameterAFunctionReadsIsInItsVersionDescription() {
        List<String> wrong = new ArrayList<>();
        for (FunctionDef fn : Repo.template().functions().values()) {
            String description = String.valueOf(fn.properties().get("VersionDescription"));
            for (TemplateValue v : fn.environment().values()) {
                if (v instanceof TemplateValue.Ref ref && Repo.template().parameters().containsKey(ref.target())
                        && !description.contains("${" + ref.target() + "}")) {
                    wrong.add(fn.logicalId() + ": VersionDescription lacks ${" + ref.target() + "} (is " + description + ")");
                }
            }
        }
        assertTrue(wrong.isEmpty(), String.join("\n", wrong));
    }

    @Test
    void theCodeRefusesWhatTheTemplateRefuses() {
        NumberSetting offload = Settings.OFFLOAD_THRESHOLD_BYTES;
        assertEquals(offload.min(), offload.check(offload.min()));
        dev.chunkflow.settings.InvalidSetting below = org.junit.jupiter.api.Assertions.assertThrows(
                dev.chunkflow.settings.InvalidSetting.class, () -> offload.check(offload.min() - 1));
        assertTrue(below.getMessage().contains("OFFLOAD_THRESHOLD_BYTES"), below.getMessage());
    }
}
