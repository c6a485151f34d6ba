package dev.chunkflow.settings;

import java.util.Optional;

import dev.chunkflow.aws.Env;

/**
 * An integer environment variable: its name, the template parameter that feeds it, its default when
 * unset and its inclusive bounds. template.yaml's parameter has the same Default, MinValue and MaxValue
 * (TemplateSettingsCheckTest holds it to this), so CloudFormation refuses a bad value before the code does.
 */
public record NumberSetting(String name, String templateParameter, long defaultValue, long min, long max, String why) {

    public NumberSetting {
        if (defaultValue < min || defaultValue > max) {
            throw new IllegalArgumentException(name + ": default " + defaultValue + " outside " + min + ".." + max);
        }
    }

    /** The value from {@code env}, the default when unset; {@link InvalidSetting} when not an integer or out of bounds. */
    public long read(Env env) {
        Optional<String> raw = env.get(name);
        if (raw.isEmpty()) {
            return defaultValue;
        }
        long v;
        try {
            v = Long.parseLong(raw.get());
        } catch (NumberFormatException e) {
            throw new InvalidSetting(name, "must be an integer, got '" + raw.get() + "'");
        }
        return check(v);
    }

    public long check(long v) {
        if (v < min || v > max) {
            throw new InvalidSetting(name, "must be between " + min + " and " + max + " (" + why + "), got " + v);
        }
        return v;
    }

    public boolean contains(long v) {
        return v >= min && v <= max;
    }
}
