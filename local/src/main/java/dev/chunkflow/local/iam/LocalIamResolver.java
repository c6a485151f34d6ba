package dev.chunkflow.local.iam;

import java.util.Map;

import dev.chunkflow.local.template.SamTemplate;
import dev.chunkflow.local.template.TemplateValue;

/**
 * What {@code !Ref}/{@code !GetAtt} mean in policies, on top of the local runner's resolver (bucket,
 * table, parameters, pseudo parameters): the ARNs IAM compares with. A function's {@code Arn} is
 * unqualified (as CloudFormation returns it; the state machine invokes the {@code :live} alias), a log
 * group's {@code Arn} ends in {@code :*}, a role's name is {@code <stack>-<LogicalId>} (CloudFormation adds
 * a random suffix on AWS), a secret's {@code Ref} is its ARN.
 */
public final class LocalIamResolver implements TemplateValue.Resolver {
    private final SamTemplate template;
    private final TemplateValue.Resolver base;
    private final String stackName;
    private final String region;
    private final String account;

    public LocalIamResolver(SamTemplate template, TemplateValue.Resolver base, String stackName, String region, String account) {
        this.template = template;
        this.base = base;
        this.stackName = stackName;
        this.region = region;
        this.account = account;
    }

    public String account() {
        return account;
    }

    public String region() {
        return region;
    }

    public String roleName(String roleLogicalId) {
        return stackName + "-" + roleLogicalId;
    }

    public String roleArn(String roleName) {
        return "arn:aws:iam::" + account + ":role/" + roleName;
    }

    /** A state machine's name: its literal or rendered {@code Name}, else {@code <stack>-<LogicalId>}. */
    public String stateMachineName(String logicalId) {
        Object name = template.stateMachine(logicalId).map(sm -> sm.properties().get("Name")).orElse(null);
        if (name == null) {
            return stackName + "-" + logicalId;
        }
        return String.valueOf(TemplateValue.renderTree(name, this, logicalId + ".Name"));
    }

    /** A template secret's local ARN ({@code !Ref} of a secret is its ARN; AWS adds a random 6-character suffix). */
    public static String secretArn(String region, String account, String stackName, String logicalId) {
        return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + stackName + "-" + logicalId;
    }

    public String functionArn(String functionName) {
        return "arn:aws:lambda:" + region + ":" + account + ":function:" + functionName;
    }

    @Override
    public String ref(String name) {
        String type = template.resourceType(name).orElse("");
        return switch (type) {
            case "AWS::SecretsManager::Secret" -> secretArn(region, account, stackName, name);
            case "AWS::IAM::Role" -> template.roles().get(name).roleName().orElse(roleName(name));
            case "AWS::Logs::LogGroup" -> logGroupName(name);
            default -> base.ref(name);
        };
    }

    @Override
    public String getAtt(String logicalId, String attribute) {
        String type = template.resourceType(logicalId).orElse("");
        if (attribute.equals("Arn")) {
            switch (type) {
                case "AWS::IAM::Role" -> {
                    return roleArn(ref(logicalId));
                }
                case "AWS::Logs::LogGroup" -> {
                    return "arn:aws:logs:" + region + ":" + account + ":log-group:" + logGroupName(logicalId) + ":*";
                }
                case SamTemplate.FUNCTION -> {
                    return functionArn(base.ref(logicalId));
                }
                default -> {
                }
            }
        }
        return base.getAtt(logicalId, attribute);
    }

    /** The log group a function writes to: {@code LoggingConfig.LogGroup}, else {@code /aws/lambda/<name>}. */
    public String functionLogGroup(String functionLogicalId) {
        Object loggingConfig = template.function(functionLogicalId).map(f -> f.properties().get("LoggingConfig")).orElse(null);
        if (loggingConfig instanceof Map<?, ?> m && m.get("LogGroup") != null) {
            return String.valueOf(TemplateValue.renderTree(m.get("LogGroup"), this, functionLogicalId + ".LoggingConfig.LogGroup"));
        }
        return "/aws/lambda/" + base.ref(functionLogicalId);
    }

    private String logGroupName(String logicalId) {
        Object name = template.properties(logicalId).get("LogGroupName");
        return name == null ? stackName + "-" + logicalId : String.valueOf(TemplateValue.renderTree(name, this, logicalId + ".LogGroupName"));
    }
}
