package dev.chunkflow.common;

import java.util.Objects;
import java.util.function.Supplier;

/** A value built on first use, once, thread-safe: a client or service an execution environment shares. */
public final class Lazy<T> implements Supplier<T> {
    private final Supplier<? extends T> init;
    private volatile T value;

    public Lazy(Supplier<? extends T> init) {
        this.init = Objects.requireNonNull(init, "init");
    }

    @Override
    public T get() {
        T v = value;
        if (v == null) {
            synchronized (this) {
                v = value;
                if (v == null) {
                    v = Objects.requireNonNull(init.get(), "Lazy initializer returned null");
                    value = v;
                }
            }
        }
        return v;
    }

    /** The value if it was built, without building it (to close what was opened). */
    public java.util.Optional<T> ifBuilt() {
        return java.util.Optional.ofNullable(value);
    }
}
