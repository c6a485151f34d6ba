package dev.chunkflow.local.asl;

import java.time.Instant;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** One running execution (the parent, or a Distributed Map child): identity, input and history. */
final class Execution {
    final ExecutionEnv env;
    final String name;
    final String arn;
    final String stateMachineArn;
    final String stateMachineName;
    final JsonNode input;
    final Instant startTime;
    final History history;
    final boolean standard;
    /** The redrive this execution resumes, or null (then also for every Distributed Map child). */
    final RedrivePlan redrive;
    private final java.util.Set<String> redrivenMaps = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** When an EXPRESS execution times out; null for STANDARD (whose one-year limit is not modelled). */
    final Instant deadline;

    /** AWS: "Express workflows can run for up to five minutes." */
    static final java.time.Duration EXPRESS_MAX_DURATION = java.time.Duration.ofMinutes(5);

    Execution(ExecutionEnv env, String stateMachineName, String name, JsonNode input, boolean standard) {
        this(env, stateMachineName, name, input, standard, null);
    }

    Execution(ExecutionEnv env, String stateMachineName, String name, JsonNode input, boolean standard, RedrivePlan redrive) {
        AslEngine.Config c = env.config();
        this.env = env;
        this.name = name;
        this.stateMachineName = stateMachineName;
        String prefix = "arn:aws:states:" + c.region() + ":" + c.accountId() + ":";
        this.stateMachineArn = prefix + "stateMachine:" + stateMachineName;
        this.arn = prefix + (standard ? "execution:" : "express:") + stateMachineName + ":" + name;
        this.input = input;
        this.startTime = redrive != null ? redrive.startTime() : env.time().now();
        this.standard = standard;
        this.redrive = redrive;
        this.deadline = standard ? null : startTime.plus(EXPRESS_MAX_DURATION);
        this.history = new History(name, standard, c.recordHistory(), env, redrive == null ? 0 : (int) redrive.lastEventId());
    }

    /**
     * The Map state's already succeeded indexes on a redrive, once: the first run of that Map state in
     * this attempt skips them, a later one (a loop back to it) runs everything.
     */
    java.util.Set<Integer> redriveSkips(String mapState) {
        if (redrive == null || !redrive.succeeded().containsKey(mapState) || !redrivenMaps.add(mapState)) {
            return java.util.Set.of();
        }
        return redrive.succeeded().get(mapState);
    }

    /** The Map Run a redriven Distributed Map continues (same ARN, as AWS keeps it), or null. */
    String redriveMapRunArn(String mapState) {
        return redrive == null ? null : redrive.mapRunArns().get(mapState);
    }

    /** Time left before the execution times out on the engine's clock; null when it has no deadline. */
    java.time.Duration remaining() {
        return deadline == null ? null : java.time.Duration.between(env.time().now(), deadline);
    }

    /** Ends the execution with States.Timeout once its deadline has passed. */
    void checkDuration() {
        java.time.Duration left = remaining();
        if (left != null && (left.isNegative() || left.isZero())) {
            throw timedOut();
        }
    }

    ExecutionTimedOut timedOut() {
        return new ExecutionTimedOut("The execution ran longer than the maximum duration of an EXPRESS execution ("
                + EXPRESS_MAX_DURATION.toMinutes() + " minutes).");
    }

    /** The context object ($$) for a state of this execution, carrying the variables in scope. */
    ObjectNode context(String stateName, Instant enteredTime, int retryCount, Variables variables) {
        ObjectNode ctx = new ContextObject(variables);
        ObjectNode ex = ctx.putObject("Execution");
        ex.put("Id", arn);
        ex.set("Input", input);
        ex.put("Name", name);
        ex.put("RoleArn", "arn:aws:iam::" + env.config().accountId() + ":role/" + stateMachineName + "-role");
        ex.put("StartTime", startTime.toString());
        ex.put("RedriveCount", redrive == null ? 0 : redrive.redriveCount());
        ObjectNode st = ctx.putObject("State");
        st.put("EnteredTime", enteredTime.toString());
        st.put("Name", stateName);
        st.put("RetryCount", retryCount);
        ObjectNode sm = ctx.putObject("StateMachine");
        sm.put("Id", stateMachineArn);
        sm.put("Name", stateMachineName);
        return ctx;
    }
}
