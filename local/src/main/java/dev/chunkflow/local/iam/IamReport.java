package dev.chunkflow.local.iam;

import java.util.List;
import java.util.Map;

/**
 * What a run did under IAM, per principal (function or state machine): the grants it used (action,
 * the statement's resource pattern, calls, one example resource), the calls denied, the reads of
 * missing keys S3 answered 403 because the role lacks {@code s3:ListBucket}, the log writes that
 * would be dropped, and the grants the run never used (candidates for removal, or code paths the run
 * did not take).
 *
 * @param enforced false under {@code --iam off} (nothing below is then filled)
 * @param scope    what the figures cover: {@code all calls}, or {@link #SCOPE_PROCESS_ISOLATION}
 */
public record IamReport(boolean enforced, long denied_calls, long missing_key_403, long unused_grants,
                        Map<String, PrincipalReport> principals, String scope) {

    /** {@link #scope} when functions run in JVMs of their own: their calls are enforced there, not recorded here. */
    public static final String SCOPE_PROCESS_ISOLATION = "process isolation: each environment's JVM enforces its function's role;"
            + " only the state machine's calls and Lambda's log writes are recorded here";

    /** The same figures, with {@code scope} saying what they cover. */
    public IamReport withScope(String scope) {
        return new IamReport(enforced, denied_calls, missing_key_403, unused_grants, principals, scope);
    }

    /** @param active whether it made any call in the run (only then do its unused grants count in the verdict) */
    public record PrincipalReport(String role_arn, String role_source, boolean active, List<Used> used, List<Denied> denied,
                                  List<Grant> unused_grants) {
    }

    public record Used(String action, String resource, String granted_by, long calls, String example) {
    }

    /** @param kind {@code denied} (the call failed), {@code missing_key_403} or {@code logs_dropped} */
    public record Denied(String kind, String action, String resource, long calls, String message) {
    }

    public record Grant(String action, String resource, String granted_by) {
    }

    public static IamReport off() {
        return new IamReport(false, 0, 0, 0, Map.of(), "off");
    }

    /** One line for the console summary. */
    public String verdict() {
        if (!enforced) {
            return "off (--iam off): nothing checked";
        }
        StringBuilder b = new StringBuilder();
        if (denied_calls == 0) {
            b.append("enforced, no call denied");
        } else {
            Denied first = principals.values().stream().flatMap(p -> p.denied().stream()).filter(d -> d.kind().equals("denied"))
                    .findFirst().orElse(null);
            String who = principals.entrySet().stream().filter(e -> e.getValue().denied().stream().anyMatch(d -> d == first))
                    .map(Map.Entry::getKey).findFirst().orElse("?");
            b.append(String.format("%,d call(s) DENIED, first: %s %s on %s", denied_calls, who,
                    first == null ? "?" : first.action(), first == null ? "?" : first.resource()));
        }
        if (missing_key_403 > 0) {
            b.append(String.format("; %,d missing-key read(s) answered 403 (no s3:ListBucket)", missing_key_403));
        }
        long dropped = principals.values().stream().flatMap(p -> p.denied().stream())
                .filter(d -> d.kind().equals("logs_dropped")).count();
        if (dropped > 0) {
            b.append("; logs dropped for ").append(dropped).append(" log group(s)");
        }
        if (SCOPE_PROCESS_ISOLATION.equals(scope)) {
            b.append("; calls inside process-isolated environments are enforced there and not counted here");
            return b.toString();
        }
        b.append(String.format("; %,d grant(s) unused by the roles that made calls (see --report)", unused_grants));
        return b.toString();
    }
}
