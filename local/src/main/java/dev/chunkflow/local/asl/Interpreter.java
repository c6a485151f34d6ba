package dev.chunkflow.local.asl;

import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Runs blocks of states: each state executes itself ({@link State#execute}); this class holds what
 * they share: history events on entry and exit, Retry and Catch around work, payload limits.
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
        /** The state input last converted for JSONata, and its conversion (several fields read it). */
        private JsonNode convertedInput;
        private Object javaInput;

        StateRun(State state, Scope scope, Instant entered, long enteredEventId) {
            this.state = state;
            this.scope = scope;
            this.entered = entered;
            this.enteredEventId = enteredEventId;
        }

        ObjectNode context() {
            return scope.ex.context(state.name, entered, retryCount, scope.variables);
        }

        /** JSONata bindings: {@code $states} (input, context, and result or errorOutput where given) and the variables in scope. */
        Map<String, Object> jsonata(JsonNode input, JsonNode result, JsonNode errorOutput) {
            return jsonata(input, result, errorOutput, context());
        }

        Map<String, Object> jsonata(JsonNode input, JsonNode result, JsonNode errorOutput, ObjectNode context) {
            Map<String, Object> b = new HashMap<>();
            b.putAll(JsonataFunctions.clock(scope.ex.env.time().now().toEpochMilli()));
            scope.variables.visible().forEach((k, v) -> b.put(k, v.java()));
            Map<String, Object> states = new LinkedHashMap<>();
            synchronized (this) {
                if (convertedInput != input) {
                    javaInput = JsonataValues.toJava(input);
                    convertedInput = input;
                }
                states.put("input", javaInput);
            }
            states.put("context", JsonataValues.toJava(context));
            if (result != null) {
                states.put("result", JsonataValues.toJava(result));
            }
            if (errorOutput != null) {
                states.put("errorOutput", JsonataValues.toJava(errorOutput));
            }
            b.put("states", states);
            return b;
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
        Scope scope = new Scope(ex, null, 0, Variables.root());
        try {
            scope.event("ExecutionStarted", d -> {
                d.put("input", AslJson.write(ex.input));
                d.putObject("inputDetails").put("truncated", false);
                d.put("roleArn", ex.context("", ex.startTime, 0, null).path("Execution").path("RoleArn").asText());
            });
            checkPayload(scope, null, ex.input, "execution input");
            return toEnd(scope, runBlock(block, block.start(), ex.input, scope));
        } catch (StatesFailure f) {
            return failed(scope, f);
        } catch (ExecutionTimedOut t) {
            return timedOut(scope, t);
        }
    }

    /**
     * A redrive of {@code ex} (its {@link Execution#redrive} plan): ExecutionRedriven, then the block from
     * the state that did not exit, with the input it had then and the variables assigned before it.
     */
    Outcome redrive(StatesBlock block, Execution ex) {
        RedrivePlan plan = ex.redrive;
        Scope scope = new Scope(ex, null, plan.lastEventId(), Variables.root());
        scope.variables.restore(plan.variables());
        try {
            scope.event("ExecutionRedriven", d -> d.put("redriveCount", plan.redriveCount()));
            State start = plan.state() == null ? block.start() : block.states.get(plan.state());
            if (start == null) {
                throw StatesFailure.runtime("The execution cannot be redriven at state '" + plan.state()
                        + "': the definition has no such top-level state");
            }
            return toEnd(scope, runBlock(block, start, plan.state() == null ? ex.input : plan.stateInput(), scope));
        } catch (StatesFailure f) {
            return failed(scope, f);
        }
    }

    private static Outcome timedOut(Scope scope, ExecutionTimedOut t) {
        Interpreter.quietEvent(scope, "ExecutionTimedOut", d -> {
            d.put("error", StatesFailure.TIMEOUT);
            d.put("cause", t.getMessage());
        });
        return new Outcome(false, null, StatesFailure.TIMEOUT, t.getMessage());
    }

    private static Outcome toEnd(Scope scope, JsonNode out) {
        scope.event("ExecutionSucceeded", d -> {
            d.put("output", AslJson.write(out));
            d.putObject("outputDetails").put("truncated", false);
        });
        return new Outcome(true, out, null, null);
    }

    private static Outcome failed(Scope scope, StatesFailure f) {
        scope.event("ExecutionFailed", d -> {
            if (f.error() != null) {
                d.put("error", f.error());
            }
            if (f.cause() != null) {
                d.put("cause", f.cause());
            }
        });
        return new Outcome(false, null, f.error(), f.cause());
    }

    JsonNode runBlock(StatesBlock block, JsonNode input, Scope scope) {
        return runBlock(block, block.start(), input, scope);
    }

    private JsonNode runBlock(StatesBlock block, State first, JsonNode input, Scope scope) {
        State s = first;
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
            return s.execute(this, run, raw);
        } catch (StatesFailure f) {
            throw f.locatedIn(s.name, id);
        }
    }

    /** The work of a Task, Parallel or Map state on its arguments. */
    @FunctionalInterface
    interface Work {
        JsonNode run(StateRun run, JsonNode arguments);
    }

    /** Task, Parallel and Map: the work with Retry and Catch around it. */
    Step withErrorHandling(StateRun run, JsonNode raw, Work work) {
        State s = run.state;
        int[] attempts = new int[s.retriers.size()];
        while (true) {
            JsonNode result;
            try {
                // inside the try: a JSONata Arguments failure (States.QueryEvaluationError) can be retried and caught
                JsonNode args = s.io.arguments(s.io.effectiveInput(raw, run), run);
                if (args != raw) {
                    checkPayload(run.scope, s.name, args, "parameters");
                }
                result = work.run(run, args);
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
                        JsonNode errorOutput = MapRunner.errorOutput(f.error(), f.cause());
                        Map<String, JsonNode> assigned = c.assign() == null ? Map.of()
                                : c.assign().evaluate(run, raw, errorOutput, null, errorOutput);
                        JsonNode out = s.io.caught(c, raw, errorOutput, run);
                        exitEvent(run, out, assigned);
                        return new Step(c.next(), out);
                    }
                }
                throw f;
            }
            Map<String, JsonNode> assigned = s.assigned(run, raw, result, result);
            return exit(run, s.io.output(raw, result, run), assigned);
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

    /** Emits an event while a failure is propagating; a full history must not hide that failure. */
    static void quietEvent(Scope scope, String type, java.util.function.Consumer<ObjectNode> details) {
        try {
            scope.event(type, details);
        } catch (StatesFailure ignored) {
            // the history limit was reached: the failure being propagated (or that one) ends the execution
        }
    }

    /** Leaves the state with {@code out} to its Next (or the end of its block), assigning its variables. */
    Step exit(StateRun run, JsonNode out, Map<String, JsonNode> assigned) {
        exitEvent(run, out, assigned);
        return new Step(run.state.end ? null : run.state.next, out);
    }

    /**
     * The StateExited event; the variables are assigned here, once the state's Assign and output were
     * both evaluated with the values of state entry.
     */
    void exitEvent(StateRun run, JsonNode out, Map<String, JsonNode> assigned) {
        checkPayload(run.scope, run.state.name, out, "output");
        run.scope.variables.assign(assigned, run);
        run.scope.event(run.state.type + "StateExited", d -> {
            d.put("name", run.state.name);
            d.put("output", AslJson.write(out));
            d.putObject("outputDetails").put("truncated", false);
            if (!assigned.isEmpty()) {
                ObjectNode vars = d.putObject("assignedVariables");
                assigned.forEach((k, v) -> vars.put(k, AslJson.write(v)));
                d.putObject("assignedVariablesDetails").put("truncated", false);
            }
        });
    }

    // ---- limits ----

    void checkPayload(Scope scope, String state, JsonNode payload, String what) {
        checkSize(scope, state == null ? "(" + what + ")" : state, payload, state == null ? scope.ex.name : state, true);
    }

    /** A task result over the limit: States.DataLimitExceeded naming the resource, catchable by that exact name. */
    void checkResult(StateRun run, String resource, JsonNode result) {
        checkSize(run.scope, run.state.name, result, resource, false);
    }

    private void checkSize(Scope scope, String measuredAt, JsonNode payload, String named, boolean terminal) {
        if (env.stats().statePayload(scope.ex.name, measuredAt, AslJson.utf8Size(payload))) {
            String cause = "The state/task '" + named + "' returned a result with a size exceeding the maximum number of bytes service limit.";
            throw terminal ? StatesFailure.withFinalCause(StatesFailure.DATA_LIMIT_EXCEEDED, cause)
                    : new StatesFailure(StatesFailure.DATA_LIMIT_EXCEEDED, cause);
        }
    }

    ExecutionEnv env() {
        return env;
    }

    TaskRunner tasks() {
        return tasks;
    }

    MapRunner maps() {
        return maps;
    }
}
