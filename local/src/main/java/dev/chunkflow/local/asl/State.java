package dev.chunkflow.local.asl;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;

/** A parsed state: the fields common to all types; subclasses add their own and execute themselves. */
abstract class State {
    static final String NULL_PATH = JsonPathIO.NULL_PATH;

    /** Fields of JSONPath states that a JSONata state may not have (AWS rejects them at definition time). */
    private static final List<String> JSONPATH_ONLY = List.of("InputPath", "Parameters", "ResultSelector", "ResultPath",
            "OutputPath", "ItemsPath", "MaxConcurrencyPath", "ToleratedFailurePercentagePath", "ToleratedFailureCountPath",
            "SecondsPath", "TimestampPath", "ErrorPath", "CausePath");
    /** Fields of JSONata states that a JSONPath state may not have. */
    private static final List<String> JSONATA_ONLY = List.of("Arguments", "Output", "Items");

    final String name;
    final String type;
    final String next;
    final boolean end;
    final QueryLanguage ql;
    final StateIO io;
    final Assign assign;
    final List<Retrier> retriers;
    final List<Catcher> catchers;

    State(String name, JsonNode def, QueryLanguage inherited, boolean flows, boolean hasResult, boolean hasParameters, boolean canFail) {
        this.name = name;
        this.type = def.get("Type").asText();
        Fields f = new Fields(name, def);
        this.ql = QueryLanguage.of(def.get("QueryLanguage"), inherited);
        if (ql == null) {
            throw f.error("QueryLanguage", "must be JSONPath or JSONata");
        }
        for (String field : ql == QueryLanguage.JSONATA ? JSONPATH_ONLY : JSONATA_ONLY) {
            if (def.has(field)) {
                throw f.error(field, "is not allowed in a " + ql.asl + " state" + (ql == QueryLanguage.JSONATA
                        ? " (use Arguments, Output, Items and {% %} expressions)" : " (set QueryLanguage to JSONata to use it)"));
            }
        }
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
        if (ql == QueryLanguage.JSONATA) {
            if (def.has("Arguments") && !(hasParameters && canFail)) {
                throw f.error("Arguments", "is not allowed in a " + type + " state (Task and Parallel states have it)");
            }
            if (def.has("Output") && !hasIO) {
                throw f.error("Output", "is not allowed in a " + type + " state");
            }
            this.io = new JsonataIO(f.jsonata("Arguments"), f.jsonata("Output", canFail, false), canFail);
        } else {
            this.io = new JsonPathIO(hasIO ? f.path("InputPath") : "$", hasIO ? f.path("OutputPath") : "$",
                    hasResult ? f.referencePath("ResultPath") : "$", hasParameters ? f.template("Parameters") : null,
                    canFail ? f.template("ResultSelector") : null);
        }
        if (def.has("Assign") && (type.equals("Succeed") || type.equals("Fail"))) {
            throw f.error("Assign", "is not allowed in a " + type + " state");
        }
        this.assign = Assign.parse(f, ql, canFail, false);
        this.retriers = canFail ? retriers(f, def.get("Retry")) : List.of();
        this.catchers = canFail ? catchers(f, def.get("Catch"), ql) : List.of();
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

    private static List<Catcher> catchers(Fields f, JsonNode catchList, QueryLanguage ql) {
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
            if (ql == QueryLanguage.JSONATA) {
                if (cf.def.has("ResultPath")) {
                    throw cf.error("ResultPath", "is not allowed in a JSONata state (use Output)");
                }
                out.add(new Catcher(errors, next, null, false, cf.jsonata("Output", false, true), Assign.parse(cf, ql, false, true)));
            } else {
                if (cf.def.has("Output")) {
                    throw cf.error("Output", "is not allowed in a JSONPath state (set QueryLanguage to JSONata to use it)");
                }
                String rp = cf.referencePath("ResultPath");
                out.add(new Catcher(errors, next, NULL_PATH.equals(rp) ? null : rp, NULL_PATH.equals(rp), null,
                        Assign.parse(cf, ql, false, true)));
            }
        }
        return out;
    }

    /** Runs the state on its raw input: where control goes next and with what output. */
    abstract Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw);

    /** The state's own Assign evaluated (none: nothing), JSONPath {@code $} being {@code source}. */
    Map<String, JsonNode> assigned(Interpreter.StateRun run, JsonNode raw, JsonNode source, JsonNode result) {
        return assign == null ? Map.of() : assign.evaluate(run, raw, source, result, null);
    }

    /** State names this state can transition to (checked against its block). */
    List<String> transitions() {
        List<String> t = new ArrayList<>();
        if (next != null) {
            t.add(next);
        }
        catchers.forEach(c -> t.add(c.next()));
        return t;
    }

    /** Variables this state assigns in its own scope (its Assign, its Catchers', its Choice rules'). */
    Set<String> assignedNames() {
        Set<String> names = new LinkedHashSet<>();
        if (assign != null) {
            names.addAll(assign.names);
        }
        for (Catcher c : catchers) {
            if (c.assign() != null) {
                names.addAll(c.assign().names);
            }
        }
        return names;
    }

    /** Blocks with a scope of their own inside this state (Parallel branches, a Map's ItemProcessor). */
    List<StatesBlock> innerBlocks() {
        return List.of();
    }
}
