package dev.chunkflow.local.asl;

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
}
