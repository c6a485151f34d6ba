package dev.chunkflow.local.template;

import java.util.Optional;

/** One template parameter; {@code defaultValue} as text. */
public record ParameterDef(String name, String type, Optional<String> defaultValue) {
}
