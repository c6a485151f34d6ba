package dev.chunkflow.local.run;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.local.iam.IamEnforcement;
import dev.chunkflow.local.iam.IamReport;
import dev.chunkflow.local.lambda.FaultInjector;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.lambda.LocalFunction;
import dev.chunkflow.local.lambda.LocalFunctionPool;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.ParameterDef;
import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.StateMachineDef;
import dev.chunkflow.local.template.TemplateValue;
import dev.chunkflow.testkit.EmbeddedAws;

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
    private final AwsRequestCounter requests = new AwsRequestCounter();
    private final IamEnforcement iam;
    private final Map<String, AwsClients> stateMachineClients = new java.util.concurrent.ConcurrentHashMap<>();

    private LocalApp(SamTemplate template, LocalServices services, Map<String, String> parameters,
                     Map<String, String> extraEnv, FaultInjector faults, boolean iamEnforced) {
        this.template = template;
        this.services = services;
        this.parameters = parameters;
        this.extraEnv = extraEnv;
        this.faults = faults;
        this.iam = iamEnforced ? IamEnforcement.fromTemplate(template, resolver(), STACK_NAME, LocalArns.REGION, LocalArns.ACCOUNT) : null;
        for (FunctionDef def : template.functions().values()) {
            Env env = functionEnv(def);
            AwsClients clients = new AwsClients(env, iam == null ? java.util.List.of(requests)
                    : java.util.List.of(requests, iam.interceptor(def.logicalId())));
            functions.put(def.logicalId(), new LocalFunctionPool(def.logicalId(),
                    () -> LocalFunction.load(def.logicalId(), def.handler(), clients, def.memorySizeMb(), def.timeoutSeconds())));
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

    /** As above; {@code iamEnforced} false skips IAM ({@code --iam off}). */
    public static LocalApp start(Path repoRoot, Path stateDir, Map<String, String> parameterOverrides,
                                 Map<String, String> extraEnv, int s3Port, int ddbPort, FaultInjector faults,
                                 boolean iamEnforced) {
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
            return new LocalApp(template, services, params, extraEnv, faults, iamEnforced);
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
        return iam == null ? IamReport.off() : iam.report();
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
        return pool.invoke(payload);
    }

    /** The state machine's definition with DefinitionSubstitutions rendered to local values. */
    public String definition(String stateMachineLogicalId) {
        StateMachineDef sm = template.stateMachine(stateMachineLogicalId)
                .orElseThrow(() -> new IllegalArgumentException("template.yaml has no state machine " + stateMachineLogicalId));
        return sm.renderDefinition(resolver());
    }

    @Override
    public void close() throws Exception {
        stateMachineClients.values().forEach(AwsClients::close);
        services.close();
    }
}
