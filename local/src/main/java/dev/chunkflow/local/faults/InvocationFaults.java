package dev.chunkflow.local.faults;

import java.util.ArrayList;
import java.util.List;

/**
 * The faults one invocation gets, decided by the runner ({@link FaultPlan}) and applied inside the
 * execution environment ({@link FaultInterceptor}): fixed faults at given SDK call numbers (1-based,
 * in the order the handler makes its calls), and/or each call failing with probability {@code rate}
 * (kind drawn among those that apply to the call) from {@code seed}. Travels to a process-isolated
 * environment as one line ({@link #encode()}).
 */
public record InvocationFaults(List<CallFault> at, double rate, long seed, FaultScope scope) {
    public static final InvocationFaults NONE = new InvocationFaults(List.of(), 0, 0, FaultScope.CALL);

    /** {@code kind} at the {@code call}-th SDK call of the invocation. */
    public record CallFault(int call, FaultKind kind) {
    }

    public InvocationFaults {
        at = List.copyOf(at);
    }

    public static InvocationFaults at(int call, FaultKind kind, FaultScope scope) {
        return new InvocationFaults(List.of(new CallFault(call, kind)), 0, 0, scope);
    }

    public static InvocationFaults random(double rate, long seed, FaultScope scope) {
        return new InvocationFaults(List.of(), rate, seed, scope);
    }

    public boolean none() {
        return at.isEmpty() && rate == 0;
    }

    /** The fixed fault at {@code call}, or null. */
    public FaultKind fixedAt(int call) {
        for (CallFault f : at) {
            if (f.call() == call) {
                return f.kind();
            }
        }
        return null;
    }

    /** One line, empty for none: {@code scope=call;rate=0.05;seed=7;at=3:s3-503,5:crash-after}. */
    public String encode() {
        if (none()) {
            return "";
        }
        List<String> points = new ArrayList<>();
        for (CallFault f : at) {
            points.add(f.call() + ":" + f.kind().label());
        }
        return "scope=" + scope.name().toLowerCase(java.util.Locale.ROOT) + ";rate=" + rate + ";seed=" + seed
                + ";at=" + String.join(",", points);
    }

    public static InvocationFaults parse(String line) {
        if (line == null || line.isBlank()) {
            return NONE;
        }
        FaultScope scope = FaultScope.CALL;
        double rate = 0;
        long seed = 0;
        List<CallFault> at = new ArrayList<>();
        for (String field : line.split(";")) {
            int eq = field.indexOf('=');
            String name = field.substring(0, eq);
            String value = field.substring(eq + 1);
            switch (name) {
                case "scope" -> scope = FaultScope.parse(value);
                case "rate" -> rate = Double.parseDouble(value);
                case "seed" -> seed = Long.parseLong(value);
                case "at" -> {
                    for (String p : value.split(",")) {
                        if (!p.isBlank()) {
                            int colon = p.indexOf(':');
                            at.add(new CallFault(Integer.parseInt(p.substring(0, colon)), FaultKind.parse(p.substring(colon + 1))));
                        }
                    }
                }
                default -> throw new IllegalArgumentException("unknown field '" + name + "' in fault line '" + line + "'");
            }
        }
        return new InvocationFaults(at, rate, seed, scope);
    }
}
