package dev.chunkflow.local.asl;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A Choice rule (boolean expression or data-test expression), parsed at definition time. */
abstract class ChoiceRule {
    private static final Set<String> COMPARATORS = Set.of(
            "StringEquals", "StringLessThan", "StringGreaterThan", "StringLessThanEquals", "StringGreaterThanEquals",
            "StringMatches", "NumericEquals", "NumericLessThan", "NumericGreaterThan", "NumericLessThanEquals",
            "NumericGreaterThanEquals", "BooleanEquals", "TimestampEquals", "TimestampLessThan",
            "TimestampGreaterThan", "TimestampLessThanEquals", "TimestampGreaterThanEquals",
            "IsNull", "IsPresent", "IsNumeric", "IsString", "IsBoolean", "IsTimestamp");

    abstract boolean eval(JsonNode data, JsonNode context);

    /** Parses a rule; {@code where} locates it for error messages ("Choices[0]"). */
    static ChoiceRule parse(JsonNode rule, String where) {
        if (!rule.isObject()) {
            throw new IllegalArgumentException(where + " must be an object");
        }
        if (rule.has("And") || rule.has("Or")) {
            String op = rule.has("And") ? "And" : "Or";
            JsonNode list = rule.get(op);
            if (!list.isArray() || list.isEmpty()) {
                throw new IllegalArgumentException(where + "." + op + " must be a non-empty array of rules");
            }
            List<ChoiceRule> rules = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                rules.add(parse(list.get(i), where + "." + op + "[" + i + "]"));
            }
            boolean and = op.equals("And");
            return new ChoiceRule() {
                @Override
                boolean eval(JsonNode data, JsonNode context) {
                    for (ChoiceRule r : rules) {
                        if (r.eval(data, context) != and) {
                            return !and;
                        }
                    }
                    return and;
                }
            };
        }
        if (rule.has("Not")) {
            ChoiceRule inner = parse(rule.get("Not"), where + ".Not");
            return new ChoiceRule() {
                @Override
                boolean eval(JsonNode data, JsonNode context) {
                    return !inner.eval(data, context);
                }
            };
        }
        JsonNode variable = rule.get("Variable");
        if (variable == null || !variable.isTextual()) {
            throw new IllegalArgumentException(where + " needs a 'Variable' path (or And/Or/Not)");
        }
        String var = variable.textValue();
        try {
            JsonPaths.validate(var);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + ".Variable: " + e.getMessage());
        }
        String operator = null;
        boolean viaPath = false;
        var names = rule.fieldNames();
        while (names.hasNext()) {
            String n = names.next();
            String base = n.endsWith("Path") && !n.equals("Variable") ? n.substring(0, n.length() - 4) : n;
            if (COMPARATORS.contains(base) && (n.equals(base) || !base.startsWith("Is") && !base.equals("StringMatches"))) {
                if (operator != null) {
                    throw new IllegalArgumentException(where + " has more than one comparison operator");
                }
                operator = base;
                viaPath = !n.equals(base);
            }
        }
        if (operator == null) {
            throw new IllegalArgumentException(where + " has no comparison operator");
        }
        JsonNode operand = rule.get(viaPath ? operator + "Path" : operator);
        validateOperand(operator, operand, viaPath, where);
        return new Comparison(var, operator, operand, viaPath);
    }

    private static void validateOperand(String op, JsonNode operand, boolean viaPath, String where) {
        String field = where + "." + op + (viaPath ? "Path" : "");
        if (viaPath) {
            if (!operand.isTextual()) {
                throw new IllegalArgumentException(field + " must be a path string");
            }
            JsonPaths.validate(operand.textValue());
            return;
        }
        boolean ok;
        if (op.startsWith("Is") || op.equals("BooleanEquals")) {
            ok = operand.isBoolean();
        } else if (op.startsWith("Numeric")) {
            ok = operand.isNumber();
        } else if (op.startsWith("Timestamp")) {
            ok = operand.isTextual() && timestamp(operand.textValue()) != null;
        } else {
            ok = operand.isTextual();
        }
        if (!ok) {
            throw new IllegalArgumentException(field + " has a value of the wrong type: " + AslJson.write(operand));
        }
    }

    /** RFC 3339 timestamp as Step Functions accepts it (uppercase T, offset or Z), or null. */
    static OffsetDateTime timestamp(String s) {
        if (s.indexOf('T') < 0) {
            return null;
        }
        try {
            return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static final class Comparison extends ChoiceRule {
        final String variable;
        final String op;
        final JsonNode operand;
        final boolean viaPath;

        Comparison(String variable, String op, JsonNode operand, boolean viaPath) {
            this.variable = variable;
            this.op = op;
            this.operand = operand;
            this.viaPath = viaPath;
        }

        @Override
        boolean eval(JsonNode data, JsonNode context) {
            JsonNode value;
            try {
                value = JsonPaths.read(variable, data, context);
            } catch (JsonPaths.Missing e) {
                if (op.equals("IsPresent")) {
                    return !operand.booleanValue();
                }
                throw StatesFailure.runtime("Invalid path '" + variable + "' : " + e.getMessage());
            }
            JsonNode expected = operand;
            if (viaPath) {
                expected = JsonPaths.require(operand.textValue(), data, context);
            }
            switch (op) {
                case "IsPresent":
                    return operand.booleanValue();
                case "IsNull":
                    return value.isNull() == operand.booleanValue();
                case "IsNumeric":
                    return value.isNumber() == operand.booleanValue();
                case "IsString":
                    return value.isTextual() == operand.booleanValue();
                case "IsBoolean":
                    return value.isBoolean() == operand.booleanValue();
                case "IsTimestamp":
                    return (value.isTextual() && timestamp(value.textValue()) != null) == operand.booleanValue();
                case "BooleanEquals":
                    return value.isBoolean() && expected.isBoolean() && value.booleanValue() == expected.booleanValue();
                case "StringMatches":
                    return value.isTextual() && matches(value.textValue(), expected.textValue());
                default:
                    break;
            }
            Integer cmp = compare(value, expected);
            if (cmp == null) {
                return false;
            }
            if (op.endsWith("GreaterThanEquals")) {
                return cmp >= 0;
            }
            if (op.endsWith("LessThanEquals")) {
                return cmp <= 0;
            }
            if (op.endsWith("GreaterThan")) {
                return cmp > 0;
            }
            if (op.endsWith("LessThan")) {
                return cmp < 0;
            }
            return cmp == 0;
        }

        private Integer compare(JsonNode value, JsonNode expected) {
            if (op.startsWith("String")) {
                return value.isTextual() && expected.isTextual() ? Integer.signum(value.textValue().compareTo(expected.textValue())) : null;
            }
            if (op.startsWith("Numeric")) {
                if (!value.isNumber() || !expected.isNumber()) {
                    return null;
                }
                BigDecimal a = value.decimalValue();
                BigDecimal b = expected.decimalValue();
                return a.compareTo(b);
            }
            if (!value.isTextual() || !expected.isTextual()) {
                return null;
            }
            OffsetDateTime a = timestamp(value.textValue());
            OffsetDateTime b = timestamp(expected.textValue());
            if (a == null || b == null) {
                return null;
            }
            return a.toInstant().compareTo(b.toInstant());
        }
    }

    /** StringMatches: '*' matches any run of characters; '\*' and '\\' are literal. */
    static boolean matches(String value, String pattern) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\\' && i + 1 < pattern.length()) {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(pattern.charAt(++i))));
            } else if (c == '*') {
                regex.append(".*");
            } else {
                regex.append(java.util.regex.Pattern.quote(String.valueOf(c)));
            }
        }
        return java.util.regex.Pattern.compile(regex.toString(), java.util.regex.Pattern.DOTALL).matcher(value).matches();
    }
}
