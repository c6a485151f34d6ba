package dev.chunkflow.workload;

import java.util.Collections;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.TreeMap;
import java.util.regex.Pattern;

/** The workloads on the class path ({@link ServiceLoader}), by name. */
public final class Workloads {
    public static final Pattern NAME = Pattern.compile("[a-z0-9_-]{1,40}");
    /** The machinery's own part: rejected records with source, line and reason. */
    public static final String REJECTS_PART = "rejects";
    private static final Pattern PART = Pattern.compile("[a-z0-9_-]{1,64}");

    private final Map<String, Workload> byName;

    private Workloads(Map<String, Workload> byName) {
        this.byName = Collections.unmodifiableMap(byName);
    }

    /** Those visible to this class's class loader (the function's jar and anything on its class path). */
    public static Workloads installed() {
        return Holder.INSTALLED;
    }

    /** Exactly these (tests, embedding). */
    public static Workloads of(Workload... workloads) {
        Map<String, Workload> byName = new TreeMap<>();
        for (Workload w : workloads) {
            check(w);
            if (byName.putIfAbsent(w.name(), w) != null) {
                throw new IllegalStateException("two workloads are named " + w.name());
            }
        }
        return new Workloads(byName);
    }

    public static Workloads load(ClassLoader loader) {
        Map<String, Workload> byName = new TreeMap<>();
        for (Workload w : ServiceLoader.load(Workload.class, loader)) {
            check(w);
            Workload previous = byName.putIfAbsent(w.name(), w);
            if (previous != null && previous.getClass() != w.getClass()) {
                throw new IllegalStateException("two workloads are named " + w.name() + ": " + previous.getClass().getName()
                        + " and " + w.getClass().getName());
            }
        }
        return new Workloads(byName);
    }

    private static void check(Workload w) {
        if (w.name() == null || !NAME.matcher(w.name()).matches()) {
            throw new IllegalStateException(w.getClass().getName() + ": workload name must match " + NAME);
        }
        for (String part : w.parts()) {
            if (!PART.matcher(part).matches() || part.equals(REJECTS_PART)) {
                throw new IllegalStateException("workload " + w.name() + ": part name " + part + " must match " + PART
                        + " and not be " + REJECTS_PART);
            }
        }
    }

    public Optional<Workload> find(String name) {
        return Optional.ofNullable(byName.get(name));
    }

    /** Sorted names, for messages. */
    public java.util.Set<String> names() {
        return byName.keySet();
    }

    private static final class Holder {
        static final Workloads INSTALLED = load(Workloads.class.getClassLoader());
    }
}
