package dev.chunkflow.local.template;

/** A template.yaml that cannot be read or does not have the shape chunkflow relies on. */
public final class TemplateException extends IllegalArgumentException {
    public TemplateException(String message) {
        super(message);
    }

    public TemplateException(String message, Throwable cause) {
        super(message, cause);
    }
}
