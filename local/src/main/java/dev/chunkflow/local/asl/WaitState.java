package dev.chunkflow.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;

import com.fasterxml.jackson.databind.JsonNode;

final class WaitState extends State {
    final Long seconds;
    final OffsetDateTime timestamp;
    final String secondsPath;
    final String timestampPath;

    WaitState(String name, JsonNode def) {
        super(name, def, true, false, false, false);
        Fields f = new Fields(name, def);
        int count = 0;
        Long s = null;
        if (def.has("Seconds")) {
            count++;
            s = (long) f.integer("Seconds", 0, 0);
        }
        OffsetDateTime t = null;
        if (def.has("Timestamp")) {
            count++;
            t = ChoiceRule.timestamp(f.requiredString("Timestamp"));
            if (t == null) {
                throw f.error("Timestamp", "is not an ISO-8601 extended offset date-time");
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
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        JsonNode eff = io.effectiveInput(raw, run);
        Instant now = in.env().time().now();
        Duration d;
        if (seconds != null) {
            d = Duration.ofSeconds(seconds);
        } else if (timestamp != null) {
            d = Duration.between(now, timestamp.toInstant());
        } else if (secondsPath != null) {
            JsonNode v = Paths.require(secondsPath, eff, run.context());
            Long secs = v.isNumber() ? AslJson.exactLong(v) : null;
            if (secs == null) {
                throw StatesFailure.runtime("The SecondsPath parameter cannot be parsed as a long value: "
                        + secondsPath + " == " + AslJson.javaText(v));
            }
            if (secs < 0) {
                throw StatesFailure.runtime("The SecondsPath parameter references a negative value: "
                        + secondsPath + " == " + AslJson.javaText(v));
            }
            d = Duration.ofSeconds(secs);
        } else {
            JsonNode v = Paths.require(timestampPath, eff, run.context());
            OffsetDateTime t = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
            if (t == null) {
                throw StatesFailure.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
                        + timestampPath + " == " + AslJson.javaText(v));
            }
            d = Duration.between(now, t.toInstant());
        }
        if (!d.isNegative() && !d.isZero()) {
            run.scope.sleep(d);
        }
        return in.exit(run, io.output(raw, eff, run));
    }
}
