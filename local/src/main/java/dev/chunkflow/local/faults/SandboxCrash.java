package dev.chunkflow.local.faults;

/**
 * An injected crash of an in-process execution environment. An Error, so the handler's
 * {@code catch (Exception)} blocks do not see it; the environment reports {@code Runtime.ExitError}
 * and refuses every further SDK call of the invocation (a real crash stops the handler's other threads too).
 */
public final class SandboxCrash extends Error {
    public SandboxCrash(String where) {
        super("sandbox crashed (injected) " + where, null, false, false);
    }
}
