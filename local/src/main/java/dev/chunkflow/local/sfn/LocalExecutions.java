package dev.chunkflow.local.sfn;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import dev.chunkflow.local.asl.AslEngine;
import dev.chunkflow.local.asl.ExecutionResult;
import dev.chunkflow.local.asl.ExecutionStatus;
import dev.chunkflow.local.asl.StateMachine;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint.ServiceError;

/**
 * The executions of one local state machine, with the StartExecution semantics of a Standard workflow:
 * the execution name is unique; a repeated StartExecution with the same name and input while that
 * execution runs returns it again (idempotent), anything else with a used name is
 * {@code ExecutionAlreadyExists}.
 */
public final class LocalExecutions implements LocalStepFunctionsEndpoint.ExecutionBackend, AutoCloseable {
    private final String stateMachineArn;
    private final String stateMachineName;
    private final StateMachine definition;
    private final AslEngine engine;
    private final ExecutorService runner = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "local-execution");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Run> runs = new ConcurrentHashMap<>();

    public LocalExecutions(String stateMachineArn, StateMachine definition, AslEngine engine) {
        this.stateMachineArn = stateMachineArn;
        this.stateMachineName = stateMachineArn.substring(stateMachineArn.lastIndexOf(':') + 1);
        this.definition = definition;
        this.engine = engine;
    }

    private record Run(String arn, String name, String input, Instant startDate, CompletableFuture<ExecutionResult> result) {
    }

    @Override
    public synchronized Map<String, Object> startExecution(String arn, String name, String input) {
        if (!arn.equals(stateMachineArn)) {
            throw new ServiceError("StateMachineDoesNotExist", "State Machine Does Not Exist: '" + arn + "'");
        }
        String execName = name == null ? java.util.UUID.randomUUID().toString() : name;
        if (!execName.matches("[A-Za-z0-9_-]{1,80}")) {
            throw new ServiceError("InvalidName", "Invalid Name: '" + execName + "'");
        }
        Run existing = runs.get(execName);
        if (existing != null) {
            if (existing.input().equals(input) && !existing.result().isDone()) {
                return started(existing);
            }
            throw new ServiceError("ExecutionAlreadyExists", "Execution Already Exists: '" + existing.arn() + "'");
        }
        Run run = new Run(LocalArns.execution(stateMachineName, execName), execName, input, Instant.now(),
                CompletableFuture.supplyAsync(() -> engine.execute(definition, input, execName), runner));
        runs.put(execName, run);
        return started(run);
    }

    private static Map<String, Object> started(Run run) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionArn", run.arn());
        m.put("startDate", run.startDate().toEpochMilli() / 1000.0);
        return m;
    }

    @Override
    public Map<String, Object> describeExecution(String executionArn) {
        Run run = byArn(executionArn);
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionArn", run.arn());
        m.put("stateMachineArn", stateMachineArn);
        m.put("name", run.name());
        m.put("startDate", run.startDate().toEpochMilli() / 1000.0);
        m.put("input", run.input());
        if (!run.result().isDone()) {
            m.put("status", "RUNNING");
            return m;
        }
        ExecutionResult r = run.result().join();
        m.put("status", r.status().name());
        if (r.status() == ExecutionStatus.SUCCEEDED) {
            m.put("output", r.output() == null ? "null" : r.output().toString());
        } else {
            if (r.error() != null) m.put("error", r.error());
            if (r.cause() != null) m.put("cause", r.cause());
        }
        return m;
    }

    @Override
    public Map<String, Object> stopExecution(String executionArn, String error, String cause) {
        throw new ServiceError("UnsupportedOperation", "StopExecution is not supported by the local engine");
    }

    private Run byArn(String executionArn) {
        String name = executionArn.substring(executionArn.lastIndexOf(':') + 1);
        Run run = runs.get(name);
        if (run == null || !run.arn().equals(executionArn)) {
            throw new ServiceError("ExecutionDoesNotExist", "Execution Does Not Exist: '" + executionArn + "'");
        }
        return run;
    }

    /** Waits for an execution started through the API and returns its full result (stats included). */
    public ExecutionResult await(String executionArn, long timeout, TimeUnit unit) throws InterruptedException, TimeoutException {
        try {
            return byArn(executionArn).result().get(timeout, unit);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the local engine crashed: " + e.getCause(), e.getCause());
        }
    }

    public int started() {
        return runs.size();
    }

    @Override
    public void close() {
        runner.shutdownNow();
    }
}
