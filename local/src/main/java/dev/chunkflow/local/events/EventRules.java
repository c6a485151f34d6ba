package dev.chunkflow.local.events;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Log;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/**
 * The template's EventBridge rules, delivering events the local runner emits (execution status changes)
 * to their Lambda targets. Delivery is synchronous, so a run's report sees its effect; a target that
 * fails is logged, as EventBridge would retry it and then drop the event.
 */
public final class EventRules {
    public static final String RULE = "AWS::Events::Rule";

    private final List<EventRule> rules;
    private final BiFunction<String, byte[], byte[]> invoker;

    public EventRules(List<EventRule> rules, BiFunction<String, byte[], byte[]> invoker) {
        this.rules = List.copyOf(rules);
        this.invoker = invoker;
    }

    public static EventRules fromTemplate(SamTemplate template, TemplateValue.Resolver resolver,
                                          BiFunction<String, byte[], byte[]> invoker) {
        List<EventRule> rules = new ArrayList<>();
        template.resources().forEach((id, r) -> {
            if (RULE.equals(r.get("Type"))) {
                rules.add(EventRule.fromTemplate(id, template.properties(id), resolver));
            }
        });
        return new EventRules(rules, invoker);
    }

    public List<EventRule> rules() {
        return rules;
    }

    /** Sends the event to every target of every matching rule; returns how many targets were invoked. */
    public int deliver(JsonNode event) {
        int delivered = 0;
        for (EventRule rule : rules) {
            if (!rule.matches(event)) {
                continue;
            }
            for (EventRule.Target t : rule.targets()) {
                try {
                    invoker.apply(t.arn(), t.input(event).getBytes(StandardCharsets.UTF_8));
                    delivered++;
                } catch (RuntimeException e) {
                    Log.warn("event rule target failed", "rule", rule.logicalId(), "target", t.arn(),
                            "error", e.getClass().getSimpleName() + ": " + e.getMessage());
                }
            }
        }
        return delivered;
    }
}
