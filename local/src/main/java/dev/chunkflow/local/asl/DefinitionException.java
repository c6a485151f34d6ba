package dev.chunkflow.local.asl;

/** The definition is not valid ASL; the message names the state and the field. */
public class DefinitionException extends IllegalArgumentException {
    public DefinitionException(String message) {
        super(message);
    }
}
