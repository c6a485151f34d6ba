package dev.chunkflow.local.asl;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import software.amazon.awssdk.services.s3.S3Client;

/**
 * The local Step Functions engine. Build once, run any number of executions (concurrently if
 * wanted); close it to stop its worker threads.
 *
 * <pre>{@code
 * try (AslEngine engine = AslEngine.builder().lambdaInvoker(invoker).s3(s3).build()) {
 *     ExecutionResult r = engine.execute(StateMachine.parse(json), input, "run-1");
 * }
 * }</pre>
 */
public final class AslEngine implements AutoCloseable {
    /** Engine settings; see {@link Builder} for the defaults. */
    public record Config(LambdaInvoker lambdaInvoker, S3Client s3, TimeSource timeSource, Limits limits,
                         ExecutionListener listener, String stateMachineName, String region, String accountId,
                         boolean recordHistory, int distributedMapThreads, boolean express) {
    }

    private final Config config;
    private final ExecutorService pool;

    private AslEngine(Config config) {
        this.config = config;
        AtomicInteger n = new AtomicInteger();
        ThreadFactory tf = r -> {
            Thread t = new Thread(r, "asl-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.pool = Executors.newCachedThreadPool(tf);
    }

    public static Builder builder() {
        return new Builder();
    }

    public Config config() {
        return config;
    }

    /** Runs an execution to its end. Execution failures are results, not exceptions. */
    public ExecutionResult execute(StateMachine stateMachine, JsonNode input, String executionName) {
        StatsCollector stats = new StatsCollector(config.limits(), config.listener());
        ExecutionEnv env = new ExecutionEnv(config, stats, pool);
        Execution ex = new Execution(env, config.stateMachineName(), executionName, input == null ? AslJson.NODES.objectNode() : input,
                !config.express());
        Interpreter.Outcome o = new Interpreter(env).run(stateMachine.top, ex);
        return new ExecutionResult(ex.arn, o.succeeded() ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED,
                o.output(), o.error(), o.cause(), stats.snapshot(ex.history.count()), ex.history.events());
    }

    /**
     * Redrives an execution that ended FAILED, TIMED_OUT or ABORTED (RedriveExecution): same name and
     * input, history events numbered after the earlier attempts', resuming where {@code plan} says.
     */
    public ExecutionResult redrive(StateMachine stateMachine, JsonNode input, String executionName, RedrivePlan plan) {
        StatsCollector stats = new StatsCollector(config.limits(), config.listener());
        ExecutionEnv env = new ExecutionEnv(config, stats, pool);
        Execution ex = new Execution(env, config.stateMachineName(), executionName, input == null ? AslJson.NODES.objectNode() : input,
                true, plan);
        Interpreter.Outcome o = new Interpreter(env).redrive(stateMachine.top, ex);
        return new ExecutionResult(ex.arn, o.succeeded() ? ExecutionStatus.SUCCEEDED : ExecutionStatus.FAILED,
                o.output(), o.error(), o.cause(), stats.snapshot(ex.history.count()), ex.history.events());
    }

    /** @param inputJson the execution input as JSON text */
    public ExecutionResult execute(StateMachine stateMachine, String inputJson, String executionName) {
        return execute(stateMachine, AslJson.parse(inputJson), executionName);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }

    public static final class Builder {
        private LambdaInvoker lambdaInvoker = LambdaInvoker.none();
        private S3Client s3;
        private TimeSource timeSource = TimeSource.system();
        private Limits limits = Limits.aws();
        private ExecutionListener listener = ExecutionListener.NONE;
        private String stateMachineName = "local";
        private String region = "us-east-1";
        private String accountId = "123456789012";
        private boolean recordHistory;
        private int distributedMapThreads = 40;
        private boolean express;

        /** How Task states call Lambda functions (default: every call fails with Lambda.ResourceNotFoundException). */
        public Builder lambdaInvoker(LambdaInvoker v) {
            this.lambdaInvoker = v;
            return this;
        }

        /** S3 client for Distributed Map ItemReader / ResultWriter (default: none). */
        public Builder s3(S3Client v) {
            this.s3 = v;
            return this;
        }

        /** Clock and sleeper for Wait states and retry intervals (default: the system clock, really sleeping). */
        public Builder timeSource(TimeSource v) {
            this.timeSource = v;
            return this;
        }

        /** Limits checked (default: {@link Limits#aws()}). */
        public Builder limits(Limits v) {
            this.limits = v;
            return this;
        }

        public Builder listener(ExecutionListener v) {
            this.listener = v;
            return this;
        }

        /** Name used in execution and state machine ARNs (default "local"). */
        public Builder stateMachineName(String v) {
            this.stateMachineName = v;
            return this;
        }

        public Builder region(String v) {
            this.region = v;
            return this;
        }

        public Builder accountId(String v) {
            this.accountId = v;
            return this;
        }

        /** Keep every history event with its details in the result (default: count only). */
        public Builder recordHistory(boolean v) {
            this.recordHistory = v;
            return this;
        }

        /** Threads running Distributed Map child executions at once, below MaxConcurrency (default 40). */
        public Builder distributedMapThreads(int v) {
            if (v < 1) {
                throw new IllegalArgumentException("distributedMapThreads must be >= 1");
            }
            this.distributedMapThreads = v;
            return this;
        }

        /** Run the top-level execution as an Express workflow (no history event limit; default Standard). */
        public Builder express(boolean v) {
            this.express = v;
            return this;
        }

        public AslEngine build() {
            return new AslEngine(new Config(lambdaInvoker, s3, timeSource, limits, listener, stateMachineName, region,
                    accountId, recordHistory, distributedMapThreads, express));
        }
    }
}
