package dev.chunkflow.local.asl;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs states: input/output processing in the documented order (InputPath, Parameters, the state's
 * work, ResultSelector, ResultPath, OutputPath), Retry and Catch, history events, payload limits.
 */
final class Interpreter {
    /** Where control goes after a state: {@code next} null means the block ended with {@code output}. */
    record Step(String next, JsonNode output) {
    }

    /** How an execution ended. */
    record Outcome(boolean succeeded, JsonNode output, String error, String cause) {
    }

    /** A state being executed: for the context object, event ids and error locations. */
    static final class StateRun {
        final State state;
        final Scope scope;
        final Instant entered;
        final long enteredEventId;
        int retryCount;

        StateRun(State state, Scope scope, Instant entered, long enteredEventId) {
            this.state = state;
            this.scope = scope;
            this.entered = entered;
            this.enteredEventId = enteredEventId;
        }

        ObjectNode context() {
            return scope.ex.context(state.name, entered, retryCount);
        }
    }

    private final ExecutionEnv env;
    private final TaskRunner tasks;
    private final MapRunner maps;

    Interpreter(ExecutionEnv env) {
        this.env = env;
        this.tasks = new TaskRunner(env);
        this.maps = new MapRunner(env, this);
    }

    Outcome run(StatesBlock block, Execution ex) {
        Scope scope = new Scope(ex, null, 0);
        try {
            scope.event("ExecutionStarted", d -> {
                d.put("input", AslJson.write(ex.input));
                d.putObject("inputDetails").put("truncated", false);
                d.put("roleArn", ex.context("", ex.startTime, 0).path("Execution").path("RoleArn").asText());
            });
            checkPayload(scope, null, ex.input, "execution input");
            JsonNode out = runBlock(block, ex.input, scope);
            scope.event("ExecutionSucceeded", d -> {
                d.put("output", AslJson.write(out));
                d.putObject("outputDetails").put("truncated", false);
            });
            return new Outcome(true, out, null, null);
        } catch (StatesFailure f) {
            scope.event("ExecutionFailed", d -> {
                if (f.error() != null) {
                    d.put("error", f.error());
                }
                if (f.cause() != null) {
                    d.put("cause", f.cause());
                }
            });
            return new Outcome(false, null, f.error(), f.cause());
        } catch (ExecutionTimedOut t) {
            Interpreter.quietEvent(scope, "ExecutionTimedOut", d -> {
                d.put("error", StatesFailure.TIMEOUT);
                d.put("cause", t.getMessage());
            });
            return new Outcome(false, null, StatesFailure.TIMEOUT, t.getMessage());
        }
    }

    JsonNode runBlock(StatesBlock block, JsonNode input, Scope scope) {
        State s = block.start();
        JsonNode data = input;
        while (true) {
            scope.checkCancelled();
            scope.ex.checkDuration();
            Step step = runState(s, data, scope);
            scope.ex.checkDuration();
            if (step.next() == null) {
                return step.output();
            }
            s = block.states.get(step.next());
            data = step.output();
        }
    }

    private Step runState(State s, JsonNode raw, Scope scope) {
        Instant entered = env.time().now();
        long id = scope.event(s.type + "StateEntered", d -> {
            d.put("name", s.name);
            d.put("input", AslJson.write(raw));
            d.putObject("inputDetails").put("truncated", false);
        });
        StateRun run = new StateRun(s, scope, entered, id);
        try {
            checkPayload(scope, s.name, raw, "input");
            if (s instanceof PassState p) {
                return pass(p, raw, run);
            }
            if (s instanceof ChoiceState c) {
                return choice(c, raw, run);
            }
            if (s instanceof WaitState w) {
                return waitState(w, raw, run);
            }
            if (s instanceof SucceedState) {
                return exit(run, outputPath(s, inputPath(s, raw, run), run));
            }
            if (s instanceof FailState f) {
                throw fail(f, raw, run);
            }
            return withErrorHandling(run, raw);
        } catch (StatesFailure f) {
            throw f.locatedIn(s.name, id);
        }
    }

    private Step pass(PassState p, JsonNode raw, StateRun run) {
        JsonNode eff = effectiveInput(p, raw, run);
        JsonNode result = p.result != null ? p.result : eff;
        return exit(run, outputPath(p, resultPath(p.resultPath, raw, result), run));
    }

    private Step choice(ChoiceState c, JsonNode raw, StateRun run) {
        JsonNode eff = inputPath(c, raw, run);
        ObjectNode ctx = run.context();
        String next = null;
        for (ChoiceState.Branch b : c.choices) {
            if (b.rule().eval(eff, ctx)) {
                next = b.next();
                break;
            }
        }
        if (next == null) {
            next = c.defaultState;
        }
        if (next == null) {
            throw StatesFailure.terminal(StatesFailure.NO_CHOICE_MATCHED, "An error occurred while executing the state '"
                    + c.name + "' (entered at the event id #" + run.enteredEventId + "). No Choice Rules matched the input");
        }
        JsonNode out = outputPath(c, eff, run);
        exitEvent(run, out);
        return new Step(next, out);
    }

    private Step waitState(WaitState w, JsonNode raw, StateRun run) {
        JsonNode eff = inputPath(w, raw, run);
        Instant now = env.time().now();
        Duration d;
        if (w.seconds != null) {
            d = Duration.ofSeconds(w.seconds);
        } else if (w.timestamp != null) {
            d = Duration.between(now, w.timestamp.toInstant());
        } else if (w.secondsPath != null) {
            JsonNode v = Paths.require(w.secondsPath, eff, run.context());
            Long secs = v.isNumber() ? AslJson.exactLong(v) : null;
            if (secs == null) {
                throw StatesFailure.runtime("The SecondsPath parameter cannot be parsed as a long value: "
                        + w.secondsPath + " == " + AslJson.javaText(v));
            }
            if (secs < 0) {
                throw StatesFailure.runtime("The SecondsPath parameter references a negative value: "
                        + w.secondsPath + " == " + AslJson.javaText(v));
            }
            d = Duration.ofSeconds(secs);
        } else {
            JsonNode v = Paths.require(w.timestampPath, eff, run.context());
            OffsetDateTime t = v.isTextual() ? ChoiceRule.timestamp(v.textValue()) : null;
            if (t == null) {
                throw StatesFailure.runtime("The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: "
                        + w.timestampPath + " == " + AslJson.javaText(v));
            }
            d = Duration.between(now, t.toInstant());
        }
        if (!d.isNegative() && !d.isZero()) {
            run.scope.sleep(d);
        }
        return exit(run, outputPath(w, eff, run));
    }

    private StatesFailure fail(FailState f, JsonNode raw, StateRun run) {
        String error = f.error != null ? f.error : failField(f.errorPath, "ErrorPath", raw, run);
        String cause = f.cause != null ? f.cause : failField(f.causePath, "CausePath", raw, run);
        return StatesFailure.terminal(error, cause);
    }

    private String failField(String expr, String field, JsonNode raw, StateRun run) {
        if (expr == null) {
            return null;
        }
        JsonNode v;
        if (Intrinsics.looksLikeCall(expr)) {
            v = Intrinsics.eval(Intrinsics.parse(expr), raw, run.context(), field);
        } else {
            try {
                v = Paths.read(expr, raw, run.context());
            } catch (Paths.Missing e) {
                throw StatesFailure.runtime("The JSONPath '" + expr + "' specified for the field '" + field
                        + "' could not be found in the input '" + AslJson.write(raw) + "'");
            }
        }
        return v.isTextual() ? v.textValue() : AslJson.write(v);
    }

    /** Task, Parallel and Map: the work with Retry and Catch around it. */
    private Step withErrorHandling(StateRun run, JsonNode raw) {
        State s = run.state;
        JsonNode eff = s instanceof MapState ? inputPath(s, raw, run) : effectiveInput(s, raw, run);
        int[] attempts = new int[s.retriers.size()];
        while (true) {
            JsonNode result;
            try {
                result = work(run, eff);
            } catch (StatesFailure f0) {
                StatesFailure f = f0.locatedIn(s.name, run.enteredEventId);
                int r = firstMatch(s.retriers, f.error());
                if (r >= 0 && attempts[r] < s.retriers.get(r).maxAttempts()) {
                    run.scope.sleep(s.retriers.get(r).delay(attempts[r]));
                    attempts[r]++;
                    run.retryCount++;
                    continue;
                }
                for (Catcher c : s.catchers) {
                    if (c.matches(f.error())) {
                        ObjectNode errorOutput = AslJson.NODES.objectNode();
                        if (f.error() != null) {
                            errorOutput.put("Error", f.error());
                        }
                        if (f.cause() != null) {
                            errorOutput.put("Cause", f.cause());
                        }
                        JsonNode out = c.resultPathNull() ? raw : resultPath(c.resultPath() == null ? "$" : c.resultPath(), raw, errorOutput);
                        exitEvent(run, out);
                        return new Step(c.next(), out);
                    }
                }
                throw f;
            }
            if (s.resultSelector != null) {
                result = s.resultSelector.apply(result, run.context());
            }
            return exit(run, outputPath(s, resultPath(s.resultPath, raw, result), run));
        }
    }

    private static int firstMatch(List<Retrier> retriers, String error) {
        for (int i = 0; i < retriers.size(); i++) {
            if (retriers.get(i).matches(error)) {
                return i;
            }
        }
        return -1;
    }

    private JsonNode work(StateRun run, JsonNode eff) {
        State s = run.state;
        if (s instanceof TaskState t) {
            JsonNode result = tasks.run(t, eff, run);
            checkResult(run, t.resource, result);
            return result;
        }
        if (s instanceof ParallelState p) {
            return parallel(p, eff, run);
        }
        return maps.run((MapState) s, eff, run);
    }

    private JsonNode parallel(ParallelState p, JsonNode eff, StateRun run) {
        Scope scope = run.scope;
        scope.event("ParallelStateStarted", null);
        JsonNode[] results = new JsonNode[p.branches.size()];
        try {
            Group.run(env.pool(), results.length, results.length, scope,
                    (i, branchScope) -> results[i] = runBlock(p.branches.get(i), eff, branchScope));
        } catch (StatesFailure f) {
            quietEvent(scope, "ParallelStateFailed", null);
            throw f;
        }
        scope.lastEventId = scope.ex.history.count();
        scope.event("ParallelStateSucceeded", null);
        ArrayNode out = AslJson.NODES.arrayNode();
        for (JsonNode r : results) {
            out.add(r);
        }
        return out;
    }

    /** Emits an event while a failure is propagating; a full history must not hide that failure. */
    static void quietEvent(Scope scope, String type, java.util.function.Consumer<ObjectNode> details) {
        try {
            scope.event(type, details);
        } catch (StatesFailure ignored) {
            // the history limit was reached: the failure being propagated (or that one) ends the execution
        }
    }

    // ---- input and output processing ----

    JsonNode inputPath(State s, JsonNode raw, StateRun run) {
        if (State.NULL_PATH.equals(s.inputPath)) {
            return AslJson.NODES.objectNode();
        }
        return "$".equals(s.inputPath) ? raw : Paths.require(s.inputPath, raw, run.context());
    }

    private JsonNode effectiveInput(State s, JsonNode raw, StateRun run) {
        JsonNode eff = inputPath(s, raw, run);
        if (s.parameters != null) {
            eff = s.parameters.apply(eff, run.context());
            checkPayload(run.scope, s.name, eff, "parameters");
        }
        return eff;
    }

    private static JsonNode resultPath(String path, JsonNode raw, JsonNode result) {
        if (State.NULL_PATH.equals(path)) {
            return raw;
        }
        return "$".equals(path) ? result : Paths.set(path, raw, result);
    }

    private JsonNode outputPath(State s, JsonNode out, StateRun run) {
        if (State.NULL_PATH.equals(s.outputPath)) {
            return AslJson.NODES.objectNode();
        }
        return "$".equals(s.outputPath) ? out : Paths.require(s.outputPath, out, run.context());
    }

    private Step exit(StateRun run, JsonNode out) {
        exitEvent(run, out);
        return new Step(run.state.end || run.state instanceof SucceedState ? null : run.state.next, out);
    }

    private void exitEvent(StateRun run, JsonNode out) {
        checkPayload(run.scope, run.state.name, out, "output");
        run.scope.event(run.state.type + "StateExited", d -> {
            d.put("name", run.state.name);
            d.put("output", AslJson.write(out));
            d.putObject("outputDetails").put("truncated", false);
        });
    }

    // ---- limits ----

    void checkPayload(Scope scope, String state, JsonNode payload, String what) {
        int size = AslJson.utf8Size(payload);
        if (env.stats().statePayload(scope.ex.name, state == null ? "(" + what + ")" : state, size)) {
            throw StatesFailure.terminal(StatesFailure.DATA_LIMIT_EXCEEDED, "The state/task '"
                    + (state == null ? scope.ex.name : state)
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }

    /** A task result over the limit: States.DataLimitExceeded naming the resource, catchable by that exact name. */
    private void checkResult(StateRun run, String resource, JsonNode result) {
        int size = AslJson.utf8Size(result);
        if (env.stats().statePayload(run.scope.ex.name, run.state.name, size)) {
            throw new StatesFailure(StatesFailure.DATA_LIMIT_EXCEEDED, "The state/task '" + resource
                    + "' returned a result with a size exceeding the maximum number of bytes service limit.");
        }
    }
}
