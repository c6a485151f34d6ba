package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed state: the fields common to all types; subclasses add their own. */
abstract class State {
    static final String NULL_PATH = JsonPathIO.NULL_PATH;

    final String name;
    final String type;
    final String next;
    final boolean end;
    final StateIO io;
    final List<Retrier> retriers;
    final List<Catcher> catchers;

    State(String name, JsonNode def, boolean flows, boolean hasResult, boolean hasParameters, boolean canFail) {
        this.name = name;
        this.type = def.get("Type").asText();
        Fields f = new Fields(name, def);
        if (flows) {
            this.next = f.optString("Next");
            this.end = def.has("End") && f.bool("End", false);
            if ((next == null) == !end) {
                throw f.error("End", "exactly one of 'Next' or 'End: true' is required");
            }
        } else {
            if (def.has("Next") || def.has("End")) {
                throw f.error(def.has("Next") ? "Next" : "End", "is not allowed in a " + type + " state");
            }
            this.next = null;
            this.end = false;
        }
        boolean hasIO = !type.equals("Fail");
        this.io = new JsonPathIO(hasIO ? f.path("InputPath") : "$", hasIO ? f.path("OutputPath") : "$",
                hasResult ? f.referencePath("ResultPath") : "$", hasParameters ? f.template("Parameters") : null,
                canFail ? f.template("ResultSelector") : null);
        this.retriers = canFail ? retriers(f, def.get("Retry")) : List.of();
        this.catchers = canFail ? catchers(f, def.get("Catch")) : List.of();
        if (!canFail && (def.has("Retry") || def.has("Catch"))) {
            throw f.error(def.has("Retry") ? "Retry" : "Catch", "is not allowed in a " + type + " state");
        }
    }

    private static List<Retrier> retriers(Fields f, JsonNode retry) {
        List<Retrier> out = new ArrayList<>();
        if (retry == null) {
            return out;
        }
        if (!retry.isArray()) {
            throw f.error("Retry", "must be an array");
        }
        for (int i = 0; i < retry.size(); i++) {
            JsonNode r = retry.get(i);
            Fields rf = new Fields(f.state, r, "Retry[" + i + "].");
            List<String> errors = rf.errorEquals(i == retry.size() - 1);
            int interval = rf.integer("IntervalSeconds", 1, 1);
            int max = rf.integer("MaxAttempts", 3, 0);
            double backoff = r.has("BackoffRate") ? r.get("BackoffRate").asDouble() : 2.0;
            if (backoff < 1.0) {
                throw rf.error("BackoffRate", "must be at least 1.0");
            }
            Integer maxDelay = r.has("MaxDelaySeconds") ? rf.integer("MaxDelaySeconds", 0, 1) : null;
            String jitter = rf.optString("JitterStrategy");
            if (jitter != null && !jitter.equals("FULL") && !jitter.equals("NONE")) {
                throw rf.error("JitterStrategy", "must be FULL or NONE");
            }
            out.add(new Retrier(errors, interval, max, backoff, maxDelay, "FULL".equals(jitter)));
        }
        return out;
    }

    private static List<Catcher> catchers(Fields f, JsonNode catchList) {
        List<Catcher> out = new ArrayList<>();
        if (catchList == null) {
            return out;
        }
        if (!catchList.isArray()) {
            throw f.error("Catch", "must be an array");
        }
        for (int i = 0; i < catchList.size(); i++) {
            Fields cf = new Fields(f.state, catchList.get(i), "Catch[" + i + "].");
            List<String> errors = cf.errorEquals(i == catchList.size() - 1);
            String next = cf.requiredString("Next");
            String rp = cf.referencePath("ResultPath");
            out.add(new Catcher(errors, next, NULL_PATH.equals(rp) ? null : rp, NULL_PATH.equals(rp)));
        }
        return out;
    }

    /** Runs the state on its raw input: where control goes next and with what output. */
    abstract Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw);

    /** State names this state can transition to (checked against its block). */
    List<String> transitions() {
        List<String> t = new ArrayList<>();
        if (next != null) {
            t.add(next);
        }
        catchers.forEach(c -> t.add(c.next()));
        return t;
    }
}
