package dev.chunkflow.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/** Records, per principal, which grants each allowed request used and which requests were denied. */
final class IamUsage {
    /** Distinct denied (action, resource) pairs kept per principal; the count stays exact. */
    private static final int MAX_DENIED_ENTRIES = 50;

    private record UsedKey(String principal, String action, String resource, String grantedBy) {
    }

    private record DeniedKey(String principal, String kind, String action, String resource) {
    }

    private static final class Counter {
        final LongAdder calls = new LongAdder();
        volatile String example;
    }

    private final Map<UsedKey, Counter> used = new ConcurrentHashMap<>();
    private final Map<DeniedKey, Counter> denied = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> deniedPerPrincipal = new ConcurrentHashMap<>();
    private final LongAdder deniedCalls = new LongAdder();
    private final LongAdder missingKey = new LongAdder();

    /** Every allow statement that covers the request counts as used (redundant grants are not "unused"). */
    void allowed(IamPrincipal p, IamRequest r) {
        for (Statement s : p.statements()) {
            if (s.effect() == Statement.Effect.Allow && s.appliesTo(r)) {
                Counter c = used.computeIfAbsent(new UsedKey(p.name(), s.matchingAction(r.action()),
                        s.matchingResource(r.resource()), s.source()), k -> new Counter());
                c.calls.increment();
                if (c.example == null) {
                    c.example = r.resource();
                }
            }
        }
    }

    void denied(IamPrincipal p, String kind, IamRequest r, String message) {
        switch (kind) {
            case "denied" -> deniedCalls.increment();
            case "missing_key_403" -> missingKey.increment();
            default -> {
            }
        }
        DeniedKey key = new DeniedKey(p.name(), kind, r.action(), r.resource());
        Counter c = denied.get(key);
        if (c == null) {
            LongAdder n = deniedPerPrincipal.computeIfAbsent(p.name(), k -> new LongAdder());
            if (n.sum() >= MAX_DENIED_ENTRIES) {
                return;
            }
            c = denied.computeIfAbsent(key, k -> {
                n.increment();
                return new Counter();
            });
        }
        c.calls.increment();
        c.example = message;
    }

    IamReport report(Map<String, IamPrincipal> principals) {
        Map<String, IamReport.PrincipalReport> out = new LinkedHashMap<>();
        long unusedTotal = 0;
        for (IamPrincipal p : principals.values()) {
            List<IamReport.Used> u = new ArrayList<>();
            Set<String> usedGrants = new LinkedHashSet<>();
            used.forEach((k, c) -> {
                if (k.principal().equals(p.name())) {
                    u.add(new IamReport.Used(k.action(), k.resource(), k.grantedBy(), c.calls.sum(), c.example));
                    usedGrants.add(k.grantedBy() + "|" + k.action() + "|" + k.resource());
                }
            });
            u.sort(java.util.Comparator.comparing(IamReport.Used::action).thenComparing(IamReport.Used::resource));
            List<IamReport.Denied> d = new ArrayList<>();
            denied.forEach((k, c) -> {
                if (k.principal().equals(p.name())) {
                    d.add(new IamReport.Denied(k.kind(), k.action(), k.resource(), c.calls.sum(), c.example));
                }
            });
            d.sort(java.util.Comparator.comparing(IamReport.Denied::kind).thenComparing(IamReport.Denied::action)
                    .thenComparing(IamReport.Denied::resource));
            List<IamReport.Grant> unused = new ArrayList<>();
            for (Statement s : p.statements()) {
                if (s.effect() != Statement.Effect.Allow) {
                    continue;
                }
                List<String> actions = s.notAction() ? List.of("NotAction") : s.actions();
                List<String> resources = s.notResource() ? List.of("NotResource") : s.resources();
                for (String a : actions) {
                    for (String r : resources) {
                        if (!usedGrants.contains(s.source() + "|" + a + "|" + r)) {
                            unused.add(new IamReport.Grant(a, r, s.source()));
                        }
                    }
                }
            }
            boolean active = !u.isEmpty() || !d.isEmpty();
            if (active) {
                unusedTotal += unused.size();
            }
            out.put(p.name(), new IamReport.PrincipalReport(p.roleArn(), p.roleSource(), active, u, d, unused));
        }
        return new IamReport(true, deniedCalls.sum(), missingKey.sum(), unusedTotal, out, "all calls");
    }
}
