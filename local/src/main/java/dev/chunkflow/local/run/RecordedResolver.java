package dev.chunkflow.local.run;

import java.util.Map;
import java.util.TreeMap;

import com.fasterxml.jackson.core.type.TypeReference;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.template.TemplateValue;

/**
 * A resolver that remembers what it answered, so a function's own JVM (process isolation) can read the
 * template's roles with exactly the values the runner resolved ({@code Ref:X}, {@code GetAtt:X.Attr}).
 */
final class RecordedResolver implements TemplateValue.Resolver {
    private final TemplateValue.Resolver base;
    private final Map<String, String> answers = new TreeMap<>();

    /** Records the answers of {@code base}. */
    RecordedResolver(TemplateValue.Resolver base) {
        this.base = base;
    }

    /** Replays recorded answers; a question not recorded is a bug in the runner, named. */
    static TemplateValue.Resolver replaying(String json) {
        Map<String, String> answers = Json.MAPPER.convertValue(Json.readTree(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
                new TypeReference<Map<String, String>>() { });
        return new TemplateValue.Resolver() {
            @Override
            public String ref(String name) {
                return answer(answers, "Ref:" + name);
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return answer(answers, "GetAtt:" + logicalId + "." + attribute);
            }
        };
    }

    private static String answer(Map<String, String> answers, String key) {
        String v = answers.get(key);
        if (v == null) {
            throw new IllegalStateException("the runner did not resolve " + key + " for this environment");
        }
        return v;
    }

    @Override
    public synchronized String ref(String name) {
        String v = base.ref(name);
        answers.put("Ref:" + name, v);
        return v;
    }

    @Override
    public synchronized String getAtt(String logicalId, String attribute) {
        String v = base.getAtt(logicalId, attribute);
        answers.put("GetAtt:" + logicalId + "." + attribute, v);
        return v;
    }

    synchronized String json() {
        try {
            return Json.MAPPER.writeValueAsString(answers);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
