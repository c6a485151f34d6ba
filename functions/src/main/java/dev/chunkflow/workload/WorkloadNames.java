package dev.chunkflow.workload;

import dev.chunkflow.common.InvalidInput;

/** The one check of a requested workload name, shared by StartJob and the Step Functions tasks. */
public final class WorkloadNames {
    /** Used when neither the request nor the deployment names one. */
    public static final String BUILT_IN_DEFAULT = "visits";

    private WorkloadNames() {
    }

    /** The workload called {@code name}, or {@link InvalidInput} on {@code field} naming the known ones. */
    public static Workload require(Workloads workloads, String name, String field) {
        if (name == null) {
            throw new InvalidInput(field, "required (known workloads: " + String.join(", ", workloads.names()) + ")");
        }
        return workloads.find(name).orElseThrow(() -> new InvalidInput(field, "unknown workload "
                + (Workloads.NAME.matcher(name).matches() ? "'" + name + "'" : "name") + " (known workloads: "
                + String.join(", ", workloads.names()) + ")"));
    }
}
