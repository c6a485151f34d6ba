package dev.chunkflow.local.template;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One {@code AWS::Serverless::Function}, with {@code Globals.Function} already merged in.
 *
 * @param handlerClass  the class part of {@code Handler: class::method}
 * @param handlerMethod the method part ({@code handleRequest} when the handler names only a class)
 * @param environment   {@code Environment.Variables}, values symbolic (see {@link TemplateValue})
 * @param properties    every merged property, as parsed, for checks that need more
 */
public record FunctionDef(
        String logicalId,
        String handler,
        String handlerClass,
        String handlerMethod,
        String runtime,
        List<String> architectures,
        String codeUri,
        int memorySizeMb,
        int timeoutSeconds,
        Optional<String> autoPublishAlias,
        Optional<String> snapStartApplyOn,
        Map<String, TemplateValue> environment,
        Map<String, Object> properties) {

    public FunctionDef {
        architectures = List.copyOf(architectures);
        environment = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(environment));
        properties = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(properties));
    }

    /** The environment rendered to strings, e.g. for a handler run in-process by the local runner. */
    public Map<String, String> renderEnvironment(TemplateValue.Resolver resolver) {
        Map<String, String> out = new java.util.LinkedHashMap<>();
        environment.forEach((k, v) -> out.put(k, v.render(resolver)));
        return out;
    }
}
