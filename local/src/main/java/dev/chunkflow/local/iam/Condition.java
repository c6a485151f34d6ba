package dev.chunkflow.local.iam;

import java.math.BigDecimal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * One {@code Condition} entry: {@code operator: {key: [values]}}. Supported: the String, Numeric, Bool,
 * Arn and Null operators, each with the {@code IfExists} suffix and the {@code ForAnyValue:} /
 * {@code ForAllValues:} set qualifiers. An absent key fails a positive operator, passes a negated one
 * ({@code StringNotEquals}, {@code StringNotLike}, ...) and passes any {@code ...IfExists}; a condition
 * with several values passes when any value matches (for a negated operator: when none does).
 */
public record Condition(String operator, String key, List<String> values) {
    private static final Set<String> BASE_OPERATORS = Set.of(
            "StringEquals", "StringNotEquals", "StringEqualsIgnoreCase", "StringNotEqualsIgnoreCase",
            "StringLike", "StringNotLike",
            "NumericEquals", "NumericNotEquals", "NumericLessThan", "NumericLessThanEquals",
            "NumericGreaterThan", "NumericGreaterThanEquals",
            "Bool", "ArnEquals", "ArnNotEquals", "ArnLike", "ArnNotLike", "Null");

    public Condition {
        values = List.copyOf(values);
        String base = base(operator);
        if (!BASE_OPERATORS.contains(base)) {
            throw new IamPolicyException("condition operator " + operator + " is not modelled locally (supported: "
                    + new java.util.TreeSet<>(BASE_OPERATORS) + ", with IfExists / ForAnyValue: / ForAllValues:)");
        }
        if (base.equals("Null") && (operator.startsWith("For") || operator.endsWith("IfExists"))) {
            throw new IamPolicyException("condition operator " + operator + " is not valid: Null takes no qualifier");
        }
    }

    private static String base(String operator) {
        String op = operator;
        if (op.startsWith("ForAnyValue:")) {
            op = op.substring("ForAnyValue:".length());
        } else if (op.startsWith("ForAllValues:")) {
            op = op.substring("ForAllValues:".length());
        }
        return op.endsWith("IfExists") ? op.substring(0, op.length() - "IfExists".length()) : op;
    }

    /** Whether the request context satisfies this condition. */
    public boolean test(IamRequest request) {
        String base = base(operator);
        List<String> actual = request.values(key);
        boolean present = actual != null && !actual.isEmpty();
        if (base.equals("Null")) {
            boolean wantAbsent = values.stream().anyMatch(v -> v.equalsIgnoreCase("true"));
            return wantAbsent != present;
        }
        boolean negated = base.contains("Not");
        if (operator.startsWith("ForAllValues:")) {
            return !present || actual.stream().allMatch(a -> matchesAny(base, a));
        }
        if (operator.startsWith("ForAnyValue:")) {
            return present && actual.stream().anyMatch(a -> matchesAny(base, a));
        }
        if (!present) {
            return operator.endsWith("IfExists") || negated;
        }
        // A single-valued key in practice; with several values, any one satisfying the test suffices.
        return actual.stream().anyMatch(a -> matchesAny(base, a));
    }

    private boolean matchesAny(String base, String actual) {
        boolean negated = base.contains("Not");
        String positive = base.replace("Not", "");
        boolean any = values.stream().anyMatch(v -> matchOne(positive, v, actual));
        return negated != any;
    }

    private static boolean matchOne(String op, String expected, String actual) {
        return switch (op) {
            case "StringEquals" -> expected.equals(actual);
            case "StringEqualsIgnoreCase" -> expected.equalsIgnoreCase(actual);
            case "StringLike" -> Wildcard.matches(expected, actual, false);
            case "ArnEquals", "ArnLike" -> arnLike(expected, actual);
            case "Bool" -> expected.toLowerCase(Locale.ROOT).equals(actual.toLowerCase(Locale.ROOT));
            default -> numeric(op, expected, actual);
        };
    }

    /** ARN operators compare the six colon-separated parts, each with wildcards. */
    private static boolean arnLike(String expected, String actual) {
        String[] e = expected.split(":", 6);
        String[] a = actual.split(":", 6);
        if (e.length != 6 || a.length != 6) {
            return false;
        }
        for (int i = 0; i < 6; i++) {
            if (!Wildcard.matches(e[i], a[i], false)) {
                return false;
            }
        }
        return true;
    }

    private static boolean numeric(String op, String expected, String actual) {
        BigDecimal e;
        BigDecimal a;
        try {
            e = new BigDecimal(expected);
            a = new BigDecimal(actual);
        } catch (NumberFormatException ex) {
            return false;
        }
        int c = a.compareTo(e);
        return switch (op) {
            case "NumericEquals" -> c == 0;
            case "NumericLessThan" -> c < 0;
            case "NumericLessThanEquals" -> c <= 0;
            case "NumericGreaterThan" -> c > 0;
            case "NumericGreaterThanEquals" -> c >= 0;
            default -> throw new IllegalStateException(op);
        };
    }
}
