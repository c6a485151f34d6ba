package dev.chunkflow.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

final class WaitState extends State {
    final Long seconds;
    final OffsetDateTime timestamp;
    final String secondsPath;
    final String timestampPath;
    /** JSONata: Seconds / Timestamp given as a {% %} expression. */
    final JsonataTemplate secondsExpr;
    final JsonataTemplate timestampExpr;

    WaitState(String name, JsonNode def, QueryLanguage inherited) {
        super(name, def, inherited, true, false, false, false);
        Fields f = new Fields(name, def);
        int count = 0;
        Long s = null;
        JsonataTemplate se = null;
        if (def.has("Seconds")) {
            count++;
            if (expression(def.get("Seconds"))) {
                se = f.jsonata("Seconds");
            } else {
                s = (long) f.integer("Seconds", 0, 0);
            }
        }
        OffsetDateTime t = null;
        JsonataTemplate te = null;
        if (def.has("Timestamp")) {
            count++;
            if (expression(def.get("Timestamp"))) {
                te = f.jsonata("Timestamp");
            } else {
                t = ChoiceRule.timestamp(f.requiredString("Timestamp"));
                if (t == null) {
                    throw f.error("Timestamp", "is not an ISO-8601 extended offset date-time");
                }
            }
        }
        String sp = null;
        if (def.has("SecondsPath")) {
            count++;
            sp = f.path("SecondsPath");
        }
        String tp = null;
        if (def.has("TimestampPath")) {
            count++;
            tp = f.path("TimestampPath");
        }
        if (count != 1) {
            throw f.error("Seconds", "exactly one of Seconds, Timestamp, SecondsPath or TimestampPath is required");
        }
        this.seconds = s;
        this.timestamp = t;
        this.secondsPath = sp;
        this.timestampPath = tp;
        this.secondsExpr = se;
        this.timestampExpr = te;
    }

    private boolean expression(JsonNode v) {
        return ql == QueryLanguage.JSONATA && v.isTextual() && JsonataExpression.isExpression(v.textValue());
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode eff = io.effectiveInput(raw, run);
        Instant now = in.env().time().now();
        Duration d = Duration.between(now, until(eff, raw, run, now));
        if (!d.isNegative() && !d.isZero()) {
            run.scope.sleep(d);
        }
        Map<String, JsonNode> assigned = assigned(run, raw, eff, null);
        return in.exit(run, io.output(raw, eff, run), assigned);
    }

    private Instant until(JsonNode eff, JsonNode raw, Interpreter.StateRun run, Instant now) {
        if (seconds != null) {
            return now.plusSeconds(seconds);
        }
        if (timestamp != null) {
            return timestamp.toInstant();
        }
        if (secondsExpr != null) {
            JsonNode v = secondsExpr.apply(run.jsonata(raw, null, null), "number");
            Long secs = AslJson.exactLong(v);
            if (secs == null || secs < 0) {
                throw StatesFailure.queryEvaluation("The Seconds field must be a non-negative integer, but was: " + AslJson.write(v));
            }
            return now.plusSeconds(secs);
        }
        if (timestampExpr != null) {
            JsonNode v = timestampExpr.apply(run.jsonata(raw, null, null));
            OffsetDateTime t = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
            if (t == null) {
                throw StatesFailure.queryEvaluation("The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: "
                        + AslJson.javaText(v));
            }
            return t.toInstant();
        }
        if (secondsPath != null) {
            JsonNode v = JsonPaths.require(secondsPath, eff, run.context());
            Long secs = v.isNumber() ? AslJson.exactLong(v) : null;
            if (secs == null) {
                throw StatesFailure.runtime("The SecondsPath parameter cannot be parsed as a long value: "
                        + secondsPath + " == " + AslJson.javaText(v));
            }
            if (secs < 0) {
                throw StatesFailure.runtime("The SecondsPath parameter references a negative value: "
                        + secondsPath + " == " + AslJson.javaText(v));
            }
            return now.plusSeconds(secs);
        }
        JsonNode v = JsonPaths.require(timestampPath, eff, run.context());
        OffsetDateTime t = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
        if (t == null) {
            throw StatesFailure.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
                    + timestampPath + " == " + AslJson.javaText(v));
        }
        return t.toInstant();
    }
}
