package dev.chunkflow.local.iam;

import java.util.List;
import java.util.Map;

import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * IAM as AWS applies it to a deployed template, for a local run: the roles of every function and
 * state machine ({@link TemplateRoles}), the bucket policies, and a record of what each principal used
 * and was refused. Functions get an SDK {@link #interceptor(String) interceptor}; the local engine asks
 * {@link #authorizeInvoke} before invoking a function for a state machine.
 */
public final class IamEnforcement {
    private final Map<String, IamPrincipal> principals;
    private final Map<String, List<PolicyDocument.ResourceStatement>> bucketPolicies;
    private final LocalIamResolver resolver;
    private final String region;
    private final String account;
    private final AwsActions actions;
    private final IamUsage usage = new IamUsage();
    private final Map<String, String> logStreams = new java.util.concurrent.ConcurrentHashMap<>();

    private IamEnforcement(Map<String, IamPrincipal> principals, Map<String, List<PolicyDocument.ResourceStatement>> bucketPolicies,
                           LocalIamResolver resolver, String region, String account) {
        this.principals = principals;
        this.bucketPolicies = bucketPolicies;
        this.resolver = resolver;
        this.region = region;
        this.account = account;
        this.actions = new AwsActions(region, account);
    }

    /**
     * Reads every role of the template.
     *
     * @param base what references mean locally (the runner's bucket, table, parameters, pseudo parameters)
     * @throws IamPolicyException naming the role, policy and statement the model cannot read
     */
    public static IamEnforcement fromTemplate(SamTemplate template, TemplateValue.Resolver base, String stackName,
                                              String region, String account) {
        LocalIamResolver resolver = new LocalIamResolver(template, base, stackName, region, account);
        TemplateRoles roles = new TemplateRoles(template, resolver);
        return new IamEnforcement(roles.principals(), roles.bucketPolicies(), resolver, region, account);
    }

    public Map<String, IamPrincipal> principals() {
        return principals;
    }

    public IamPrincipal principal(String logicalId) {
        IamPrincipal p = principals.get(logicalId);
        if (p == null) {
            throw new IllegalArgumentException("no function or state machine " + logicalId + " in the template");
        }
        return p;
    }

    AwsActions actions() {
        return actions;
    }

    /** The interceptor to add to every SDK client of {@code logicalId} (a function or state machine). */
    public ExecutionInterceptor interceptor(String logicalId) {
        return new IamInterceptor(this, principal(logicalId));
    }

    /** Evaluates and records one request; returns null when allowed, else AWS's AccessDenied message. */
    String authorize(IamPrincipal p, IamRequest request) {
        IamRequest r = withGlobalKeys(p, request);
        List<Statement> resourceBased = resourcePolicy(p, r.resource());
        Decision d = PolicyEvaluator.evaluate(p.statements(), resourceBased, r);
        if (d.allowed()) {
            usage.allowed(p, r);
            return null;
        }
        boolean byResourcePolicy = d.statement() != null && resourceBased.contains(d.statement());
        String message = AccessDeniedErrors.message(p, r, d, byResourcePolicy, r.action().startsWith("s3:"));
        usage.denied(p, "denied", r, message);
        return message;
    }

    /**
     * For a GetObject/HeadObject the server answered 404: S3 tells a caller without {@code s3:ListBucket} on
     * the bucket 403 instead. The check carries no {@code s3:prefix}, so a grant conditioned on one does not
     * count. Returns the 403 message, or null when the 404 stands.
     */
    String missingKeyDenied(IamPrincipal p, String bucket, String key) {
        IamRequest list = withGlobalKeys(p, new IamRequest("s3:ListBucket", AwsActions.bucketArn(bucket), AwsActions.s3Context()));
        Decision d = PolicyEvaluator.evaluate(p.statements(), resourcePolicy(p, list.resource()), list);
        if (d.allowed()) {
            return null;
        }
        String message = AccessDeniedErrors.message(p, list, d, false, true);
        usage.denied(p, "missing_key_403", new IamRequest("s3:GetObject", AwsActions.objectArn(bucket, key)),
                "GetObject/HeadObject of a missing key answered 403: " + message);
        return message;
    }

    /**
     * The state machine's {@code lambda:InvokeFunction} on the function ARN its definition names (the alias).
     *
     * @throws AccessDenied with the message Step Functions puts in the task's cause
     */
    public void authorizeInvoke(String stateMachineLogicalId, String functionArn) {
        IamPrincipal p = principal(stateMachineLogicalId);
        String message = authorize(p, new IamRequest("lambda:InvokeFunction", functionArn));
        if (message != null) {
            throw new AccessDenied(message);
        }
    }

    /**
     * What Lambda does with the function's role at each invocation: create a log stream and put log events
     * in the function's log group. Denied, AWS drops the logs silently; the report says so.
     */
    public void recordInvocationLogs(String functionLogicalId) {
        IamPrincipal p = principal(functionLogicalId);
        String stream = logStreams.computeIfAbsent(functionLogicalId, id -> "arn:aws:logs:" + region + ":"
                + account + ":log-group:" + resolver.functionLogGroup(id) + ":log-stream:local");
        for (String action : List.of("logs:CreateLogStream", "logs:PutLogEvents")) {
            IamRequest r = withGlobalKeys(p, new IamRequest(action, stream));
            Decision d = PolicyEvaluator.evaluate(p.statements(), r);
            if (d.allowed()) {
                usage.allowed(p, r);
            } else {
                usage.denied(p, "logs_dropped", r, AccessDeniedErrors.message(p, r, d, false, false)
                        + " (on AWS the function's logs are dropped)");
            }
        }
    }

    public IamReport report() {
        return usage.report(principals);
    }

    private IamRequest withGlobalKeys(IamPrincipal p, IamRequest r) {
        Map<String, List<String>> ctx = new java.util.LinkedHashMap<>(r.context());
        ctx.putIfAbsent("aws:PrincipalArn", List.of(p.roleArn()));
        ctx.putIfAbsent("aws:PrincipalAccount", List.of(account));
        ctx.putIfAbsent("aws:RequestedRegion", List.of(region));
        ctx.putIfAbsent("aws:SecureTransport", List.of("true"));
        return new IamRequest(r.action(), r.resource(), ctx);
    }

    /** The statements of the bucket policy that apply to this principal, for an S3 resource. */
    private List<Statement> resourcePolicy(IamPrincipal p, String resource) {
        if (!resource.startsWith("arn:aws:s3:::") || bucketPolicies.isEmpty()) {
            return List.of();
        }
        String path = resource.substring("arn:aws:s3:::".length());
        int slash = path.indexOf('/');
        List<PolicyDocument.ResourceStatement> policy = bucketPolicies.get(slash < 0 ? path : path.substring(0, slash));
        if (policy == null) {
            return List.of();
        }
        String accountRoot = "arn:aws:iam::" + account + ":root";
        return policy.stream().filter(s -> s.principals().stream().anyMatch(x -> x.equals("*") || x.equals(p.roleArn())
                        || x.equals(accountRoot) || x.equals(account)))
                .map(PolicyDocument.ResourceStatement::statement).toList();
    }

    /** A state machine's call refused by IAM; the message is AWS's. */
    public static final class AccessDenied extends RuntimeException {
        public AccessDenied(String message) {
            super(message);
        }
    }
}
