package dev.chunkflow.local.template;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One {@code AWS::Serverless::StateMachine} defined by a file ({@code DefinitionUri}).
 *
 * @param definitionPath  {@code DefinitionUri} resolved against the template's folder
 * @param substitutions   {@code DefinitionSubstitutions}, values symbolic
 */
public record StateMachineDef(
        String logicalId,
        Optional<String> name,
        String type,
        String definitionUri,
        Path definitionPath,
        Map<String, TemplateValue> substitutions,
        Map<String, Object> properties) {

    /** {@code ${Name}} as DefinitionSubstitutions understands it. */
    public static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([A-Za-z0-9_.:-]+)}");

    public StateMachineDef {
        substitutions = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(substitutions));
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /** The logical id a substitution refers to ({@code !Ref X}, {@code !Ref X.Alias}, {@code !GetAtt X.Arn}, {@code !Sub ${X.Arn}}). */
    public Optional<String> referencedLogicalId(String substitution) {
        TemplateValue v = substitutions.get(substitution);
        return v == null ? Optional.empty() : v.referencedLogicalId();
    }

    public String readDefinition() {
        try {
            return Files.readString(definitionPath, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new TemplateException(logicalId + ": cannot read DefinitionUri " + definitionPath + ": " + e.getMessage(), e);
        }
    }

    /** The placeholder names used in a definition text. */
    public static TreeSet<String> placeholders(String definition) {
        TreeSet<String> names = new TreeSet<>();
        Matcher m = PLACEHOLDER.matcher(definition);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The definition with every {@code ${Name}} replaced by {@code values}; a placeholder without a value is an error. */
    public static String substitute(String definition, Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(definition);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            if (value == null) {
                throw new TemplateException("no value for ${" + m.group(1) + "} in the state machine definition");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /** {@link #readDefinition()} with the substitutions rendered by {@code resolver}. */
    public String renderDefinition(TemplateValue.Resolver resolver) {
        Map<String, String> values = new java.util.HashMap<>();
        substitutions.forEach((k, v) -> values.put(k, v.render(resolver)));
        return substitute(readDefinition(), values);
    }
}
