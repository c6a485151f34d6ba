package dev.chunkflow.local.run;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.Supplier;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.local.faults.FaultInterceptor;
import dev.chunkflow.local.faults.FaultPlan;
import dev.chunkflow.local.faults.FaultedInvocation;
import dev.chunkflow.local.iam.IamEnforcement;
import dev.chunkflow.local.iam.IamReport;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.lambda.ConcurrencyLimits;
import dev.chunkflow.local.lambda.EnvironmentBudget;
import dev.chunkflow.local.lambda.ExecutionEnvironment;
import dev.chunkflow.local.lambda.FaultInjector;
import dev.chunkflow.local.lambda.FunctionConfig;
import dev.chunkflow.local.lambda.InProcessEnvironment;
import dev.chunkflow.local.lambda.LambdaRuntimeOptions;
import dev.chunkflow.local.lambda.ProcessEnvironment;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.lambda.LocalFunction;
import dev.chunkflow.local.lambda.LocalFunctionPool;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.ParameterDef;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.StateMachineDef;
import dev.chunkflow.local.template.TemplateValue;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * template.yaml brought up locally: the embedded S3 and DynamoDB, every function of the template as
 * an in-process Lambda with the environment the template gives it (references resolved to the local
 * bucket, table, ARNs and parameter values), and the state machine definition with its
 * DefinitionSubstitutions filled with local ARNs. Unless IAM is off, every function's SDK clients
 * are authorized against its execution role from the template ({@link IamEnforcement}).
 */
public final class LocalApp implements AutoCloseable {
    public static final String STACK_NAME = "chunkflow-local";

    private final SamTemplate template;
    private final LocalServices services;
    private final Map<String, String> parameters;
    private final Map<String, LocalFunctionPool> functions = new LinkedHashMap<>();
    private final Map<String, String> extraEnv;
    private final FaultInjector faults;
    private volatile FaultPlan sdkFaults;
    private final AwsRequestCounter requests = new AwsRequestCounter();
    private final IamEnforcement iam;
    private final Map<String, AwsClients> stateMachineClients = new java.util.concurrent.ConcurrentHashMap<>();
    private final LambdaRuntimeOptions runtime;
    private final ConcurrencyLimits concurrency;
    private final EnvironmentBudget budget;
    private final Path templatePath;
    /** The references IAM enforcement resolved, for functions' own JVMs to read the roles the same way. */
    private final String iamRefs;

    private LocalApp(SamTemplate template, LocalServices services, Map<String, String> parameters,
                     Map<String, String> extraEnv, FaultInjector faults, boolean iamEnforced, LambdaRuntimeOptions runtime,
                     Path templatePath) {
        this.template = template;
        this.services = services;
        this.parameters = parameters;
        this.extraEnv = extraEnv;
        this.faults = faults;
        RecordedResolver recorded = new RecordedResolver(resolver());
        this.iam = iamEnforced ? IamEnforcement.fromTemplate(template, recorded, STACK_NAME, LocalArns.REGION, LocalArns.ACCOUNT) : null;
        this.iamRefs = iamEnforced ? recorded.json() : null;
        this.templatePath = templatePath;
        this.runtime = runtime;
        Map<String, FunctionConfig> configs = new LinkedHashMap<>();
        Map<String, Integer> reserved = new HashMap<>();
        for (FunctionDef def : template.functions().values()) {
            FunctionConfig config = functionConfig(def);
            configs.put(def.logicalId(), config);
            config.reservedConcurrency().ifPresent(r -> reserved.put(def.logicalId(), r));
        }
        this.concurrency = new ConcurrencyLimits(runtime.accountConcurrency(), reserved);
        this.budget = new EnvironmentBudget(runtime.processMemoryMb());
        if (runtime.isolation() == LambdaRuntimeOptions.Isolation.PROCESS) {
            for (FunctionConfig config : configs.values()) {
                if (config.memoryMb() > runtime.processMemoryMb()) {
                    throw new IllegalArgumentException("--process-memory: " + runtime.processMemoryMb() + " MB cannot hold one "
                            + config.name() + " environment (MemorySize " + config.memoryMb() + " MB)");
                }
            }
        }
        for (FunctionDef def : template.functions().values()) {
            FunctionConfig config = configs.get(def.logicalId());
            LocalFunctionPool pool = new LocalFunctionPool(config, environmentFactory(config, def),
                    runtime.latencyFor(config.name()), concurrency);
            budget.register(pool);
            functions.put(config.name(), pool);
        }
    }

    private Supplier<? extends ExecutionEnvironment> environmentFactory(FunctionConfig config, FunctionDef def) {
        if (runtime.isolation() == LambdaRuntimeOptions.Isolation.PROCESS) {
            // A JVM start flag, so it matters only where the function gets a JVM of its own.
            String javaToolOptions = def.renderEnvironment(resolver()).get("JAVA_TOOL_OPTIONS");
            Path root = services.stateDir().resolve("lambda");
            String interceptors = config.environment().get("CHUNKFLOW_SDK_INTERCEPTORS");
            FunctionConfig child = iam == null ? config : config.withEnvironment(Map.of(
                    "CHUNKFLOW_SDK_INTERCEPTORS", interceptors == null ? ChildIam.class.getName()
                            : interceptors + "," + ChildIam.class.getName(),
                    ChildIam.TEMPLATE, templatePath.toString(),
                    ChildIam.REFS, iamRefs));
            return () -> {
                budget.acquire(config);
                try {
                    return ProcessEnvironment.start(child, root, javaToolOptions, line -> logLine(config.name(), line), requests::add)
                            .whenClosed(() -> budget.release(config.memoryMb()));
                } catch (RuntimeException e) {
                    budget.release(config.memoryMb());
                    throw e;
                }
            };
        }
        // SDK clients of its own per environment, as on Lambda, so an injected fault or crash hits one environment.
        ExecutionInterceptor iamInterceptor = iam == null ? null : iam.interceptor(def.logicalId());
        return () -> {
            FaultInterceptor faultInterceptor = FaultInterceptor.inProcess();
            List<ExecutionInterceptor> interceptors = new ArrayList<>(List.of(requests));
            if (iamInterceptor != null) {
                interceptors.add(iamInterceptor);
            }
            interceptors.add(faultInterceptor);
            AwsClients clients = new AwsClients(Env.of(config.environment()), interceptors);
            return new InProcessEnvironment(LocalFunction.load(config.name(), config.handler(), clients,
                    config.memoryMb(), config.timeoutSeconds()), faultInterceptor, clients);
        };
    }

    /**
     * A line an environment's JVM wrote, into the run's log of JSON lines: the handlers' own lines as
     * they are, anything else (the JVM's "Picked up JAVA_TOOL_OPTIONS", a stray print) as a JSON line.
     */
    private static void logLine(String function, String line) {
        if (line.startsWith("{")) {
            Log.stream().println(line);
        } else if (!line.isBlank()) {
            Log.info(line, "function", function, "stream", "stderr");
        }
    }

    /** The function as the local runner runs it: template limits plus the environment it gets here. */
    private FunctionConfig functionConfig(FunctionDef def) {
        Map<String, String> vars = new HashMap<>(functionEnv(def).vars());
        int ephemeral = FunctionConfig.DEFAULT_EPHEMERAL_STORAGE_MB;
        if (def.properties().get("EphemeralStorage") instanceof Map<?, ?> storage && storage.get("Size") != null) {
            ephemeral = intValue(storage.get("Size"), def.logicalId() + ".EphemeralStorage.Size");
        }
        Object rce = def.properties().get("ReservedConcurrentExecutions");
        OptionalInt reserved = rce == null ? OptionalInt.empty()
                : OptionalInt.of(intValue(rce, def.logicalId() + ".ReservedConcurrentExecutions"));
        return new FunctionConfig(def.logicalId(), def.handler(), def.memorySizeMb(), def.timeoutSeconds(), ephemeral,
                reserved, vars);
    }

    /** An integer property: a literal, or a reference (e.g. to a parameter) resolved to its local value. */
    private int intValue(Object raw, String where) {
        String text = raw instanceof Number n ? String.valueOf(n) : TemplateValue.of(raw, where).render(resolver());
        try {
            return Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("template.yaml: " + where + " must be an integer, got '" + text + "'");
        }
    }

    /**
     * @param parameterOverrides template parameter values (e.g. InlineMapMaxChunks) over their defaults
     * @param extraEnv           variables added to every function's environment (e.g. AWS_ENDPOINT_URL_SFN)
     */
    public static LocalApp start(Path repoRoot, Path stateDir, Map<String, String> parameterOverrides,
                                 Map<String, String> extraEnv, int s3Port, int ddbPort, FaultInjector faults) {
        return start(repoRoot, stateDir, parameterOverrides, extraEnv, s3Port, ddbPort, faults, true);
    }

    /** As below, with the functions run in this JVM as Lambda's defaults say. */
    public static LocalApp start(Path repoRoot, Path stateDir, Map<String, String> parameterOverrides,
                                 Map<String, String> extraEnv, int s3Port, int ddbPort, FaultInjector faults,
                                 boolean iamEnforced) {
        return start(repoRoot, stateDir, parameterOverrides, extraEnv, s3Port, ddbPort, faults, iamEnforced,
                LambdaRuntimeOptions.defaults());
    }

    /**
     * As above; {@code iamEnforced} false skips IAM ({@code --iam off}); {@code runtime} says how the
     * functions run (isolation, injected latency, concurrency).
     */
    public static LocalApp start(Path repoRoot, Path stateDir, Map<String, String> parameterOverrides,
                                 Map<String, String> extraEnv, int s3Port, int ddbPort, FaultInjector faults,
                                 boolean iamEnforced, LambdaRuntimeOptions runtime) {
        SamTemplate template = SamTemplate.load(repoRoot.resolve("template.yaml"));
        Map<String, String> params = new HashMap<>();
        for (ParameterDef p : template.parameters().values()) {
            p.defaultValue().ifPresent(v -> params.put(p.name(), v));
        }
        parameterOverrides.forEach((k, v) -> {
            if (!template.parameters().containsKey(k)) {
                throw new IllegalArgumentException("template.yaml has no parameter " + k);
            }
            params.put(k, v);
        });
        LocalServices services = LocalServices.start(stateDir, EmbeddedAws.DEFAULT_BUCKET, EmbeddedAws.DEFAULT_TABLE, s3Port, ddbPort);
        try {
            return new LocalApp(template, services, params, extraEnv, faults, iamEnforced, runtime,
                    repoRoot.resolve("template.yaml").toAbsolutePath());
        } catch (RuntimeException e) {
            try {
                services.close();
            } catch (Exception suppressed) {
                e.addSuppressed(suppressed);
            }
            throw e;
        }
    }

    private Env functionEnv(FunctionDef def) {
        Map<String, String> vars = new HashMap<>(def.renderEnvironment(resolver()));
        vars.remove("JAVA_TOOL_OPTIONS"); // a JVM start flag; meaningless in this already running JVM
        vars.putAll(services.aws().env().vars());
        vars.put("AWS_LAMBDA_FUNCTION_NAME", def.logicalId());
        if (vars.containsKey("TOKEN_SECRET_ARN")) {
            vars.put("TOKEN_SECRET_ARN", "local"); // no Secrets Manager locally: the clearly marked local default secret
        }
        vars.putAll(extraEnv);
        return Env.of(vars);
    }

    /** What {@code !Ref} / {@code !GetAtt} mean locally. */
    public TemplateValue.Resolver resolver() {
        return new TemplateValue.Resolver() {
            @Override
            public String ref(String name) {
                return switch (name) {
                    case "AWS::Region" -> LocalArns.REGION;
                    case "AWS::AccountId" -> LocalArns.ACCOUNT;
                    case "AWS::StackName" -> STACK_NAME;
                    case "AWS::Partition" -> "aws";
                    case "AWS::URLSuffix" -> "amazonaws.com";
                    default -> resolveRef(name);
                };
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                if (template.functions().containsKey(logicalId) && attribute.equals("Arn")) {
                    return LocalArns.function(logicalId);
                }
                if (template.buckets().containsKey(logicalId) && attribute.equals("Arn")) {
                    return "arn:aws:s3:::" + bucket();
                }
                if (template.tables().containsKey(logicalId) && attribute.equals("Arn")) {
                    return "arn:aws:dynamodb:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":table/" + table();
                }
                if (template.stateMachines().containsKey(logicalId) && attribute.equals("Arn")) {
                    return stateMachineArn(logicalId);
                }
                throw new IllegalArgumentException("cannot resolve !GetAtt " + logicalId + "." + attribute + " locally");
            }
        };
    }

    private String resolveRef(String target) {
        if (parameters.containsKey(target)) {
            return parameters.get(target);
        }
        String logicalId = target.contains(".") ? target.substring(0, target.indexOf('.')) : target;
        if (template.functions().containsKey(logicalId)) {
            return target.endsWith(".Alias") || target.endsWith(".Version") ? LocalArns.function(logicalId) : logicalId;
        }
        if (template.buckets().containsKey(logicalId)) {
            return bucket();
        }
        if (template.tables().containsKey(logicalId)) {
            return table();
        }
        if (template.stateMachines().containsKey(logicalId)) {
            return stateMachineArn(logicalId);
        }
        if (template.parameters().containsKey(target)) {
            throw new IllegalArgumentException("template parameter " + target + " has no default; pass a value");
        }
        if ("AWS::SecretsManager::Secret".equals(template.resourceType(logicalId).orElse(""))) {
            // The ARN the IAM model grants on, so a local secrets endpoint would be asked for the granted secret.
            return dev.chunkflow.local.iam.LocalIamResolver.secretArn(LocalArns.REGION, LocalArns.ACCOUNT, STACK_NAME, logicalId);
        }
        return target; // other resources (API, roles, log groups) only matter on AWS
    }

    public String stateMachineArn(String logicalId) {
        return LocalArns.stateMachine(STACK_NAME + "-" + logicalId);
    }

    /** A template parameter's value for this run (override, else default); empty when it has neither. */
    public Optional<String> parameter(String name) {
        return Optional.ofNullable(parameters.get(name));
    }

    public SamTemplate template() {
        return template;
    }

    public LocalServices services() {
        return services;
    }

    public EmbeddedAws aws() {
        return services.aws();
    }

    public String bucket() {
        return services.aws().bucket();
    }

    public String table() {
        return services.aws().table();
    }

    public Optional<LocalFunctionPool> function(String logicalId) {
        return Optional.ofNullable(functions.get(logicalId));
    }

    public Map<String, LocalFunctionPool> functions() {
        return functions;
    }

    /** Whether calls are authorized against the template's roles (not under {@code --iam off}). */
    public boolean iamEnforced() {
        return iam != null;
    }

    /** What the functions and state machines used and were refused so far; "off" when IAM is off. */
    public IamReport iamReport() {
        if (iam == null) {
            return IamReport.off();
        }
        return runtime.isolation() == LambdaRuntimeOptions.Isolation.PROCESS
                ? iam.report().withScope(IamReport.SCOPE_PROCESS_ISOLATION) : iam.report();
    }

    /**
     * The S3 client the local engine uses for a state machine's Distributed Map (ItemReader, ResultWriter):
     * authorized against the state machine's role.
     */
    public software.amazon.awssdk.services.s3.S3Client stateMachineS3(String stateMachineLogicalId) {
        if (iam == null) {
            return services.aws().s3();
        }
        return stateMachineClients.computeIfAbsent(stateMachineLogicalId, id -> new AwsClients(
                Env.of(services.aws().env().vars()), java.util.List.of(iam.interceptor(id)))).s3();
    }

    /**
     * The state machine's {@code lambda:InvokeFunction} on the ARN its definition names.
     *
     * @throws IamEnforcement.AccessDenied with AWS's message when its role does not allow it
     */
    public void authorizeInvoke(String stateMachineLogicalId, String functionArn) {
        if (iam != null) {
            iam.authorizeInvoke(stateMachineLogicalId, functionArn);
        }
    }

    /** The AWS requests the functions have made so far, per {@code Service.Operation}. */
    public Map<String, Long> awsRequests() {
        return requests.snapshot();
    }

    /**
     * Invokes a function named by logical id or by any ARN form Step Functions passes, through the
     * fault injector (injected service errors happen before the handler runs, as throttles do).
     */
    public byte[] invoke(String functionArnOrName, byte[] payload) {
        String name = LocalArns.functionName(functionArnOrName);
        LocalFunctionPool pool = functions.get(name);
        if (pool == null) {
            throw new dev.chunkflow.local.lambda.FunctionError("Lambda.ResourceNotFoundException",
                    "Function not found: " + functionArnOrName, "Function not found: " + functionArnOrName);
        }
        if (faults != null) {
            faults.maybeFail(name);
        }
        if (iam != null) {
            iam.recordInvocationLogs(name);
        }
        FaultPlan plan = sdkFaults;
        if (plan == null) {
            return pool.invoke(payload);
        }
        FaultedInvocation invocation = plan.next(name, payload);
        try {
            return pool.invoke(payload, invocation);
        } finally {
            plan.done(invocation);
        }
    }

    /**
     * Faults inside the handlers from now on (null: none): every invocation asks {@code plan} which
     * faults its SDK calls get, and reports the calls it made ({@code chunkflow chaos}).
     */
    public void injectSdkFaults(FaultPlan plan) {
        this.sdkFaults = plan;
    }

    /** The state machine's definition with DefinitionSubstitutions rendered to local values. */
    public String definition(String stateMachineLogicalId) {
        StateMachineDef sm = template.stateMachine(stateMachineLogicalId)
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no state machine " + stateMachineLogicalId));
        return sm.renderDefinition(resolver());
    }

    /** Invocations refused over the account's or a function's concurrency. */
    public long throttledInvocations() {
        return concurrency.throttled();
    }

    public LambdaRuntimeOptions runtime() {
        return runtime;
    }

    @Override
    public void close() throws Exception {
        functions.values().forEach(LocalFunctionPool::close);
        stateMachineClients.values().forEach(AwsClients::close);
        services.close();
    }
}
