package dev.chunkflow.local.serve;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.template.TemplateValue;

/**
 * CloudFormation's DescribeStacks (query protocol, XML answer) for the one local stack, with the
 * template's Outputs resolved to local values, so the scripts find the state machine and the bucket
 * exactly as on AWS.
 */
final class CloudFormationApi {
    private static final String NS = "http://cloudformation.amazonaws.com/doc/2010-05-15/";

    private final LocalApp app;
    private final String stackName;
    private final String edgeUrl;
    private final String stackId;
    private final Instant created = Instant.now();

    CloudFormationApi(LocalApp app, String stackName, String edgeUrl) {
        this.app = app;
        this.stackName = stackName;
        this.edgeUrl = edgeUrl;
        this.stackId = "arn:aws:cloudformation:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":stack/" + stackName
                + "/" + java.util.UUID.nameUUIDFromBytes(stackName.getBytes(StandardCharsets.UTF_8));
    }

    void handle(Request r) throws IOException {
        Map<String, String> form = form(r);
        String action = form.get("Action");
        if (!"DescribeStacks".equals(action)) {
            error(r, 400, "InvalidAction", "The action " + action + " is not valid for this endpoint (locally: DescribeStacks only).");
            return;
        }
        String name = form.get("StackName");
        if (name != null && !name.equals(stackName) && !name.equals(stackId)) {
            error(r, 400, "ValidationError", "Stack with id " + name + " does not exist");
            return;
        }
        StringBuilder x = new StringBuilder();
        x.append("<DescribeStacksResponse xmlns=\"").append(NS).append("\"><DescribeStacksResult><Stacks><member>");
        tag(x, "StackId", stackId);
        tag(x, "StackName", stackName);
        tag(x, "Description", String.valueOf(app.template().raw().getOrDefault("Description", "")).trim());
        tag(x, "CreationTime", created.toString());
        tag(x, "StackStatus", "CREATE_COMPLETE");
        x.append("<Outputs>");
        for (Map.Entry<String, String> o : outputs().entrySet()) {
            x.append("<member>");
            tag(x, "OutputKey", o.getKey());
            tag(x, "OutputValue", o.getValue());
            Object desc = ((Map<?, ?>) app.template().outputs().get(o.getKey())).get("Description");
            if (desc != null) {
                tag(x, "Description", String.valueOf(desc));
            }
            x.append("</member>");
        }
        x.append("</Outputs><Tags/></member></Stacks></DescribeStacksResult><ResponseMetadata>");
        tag(x, "RequestId", java.util.UUID.randomUUID().toString());
        x.append("</ResponseMetadata></DescribeStacksResponse>");
        r.reply(200, "text/xml", x.toString().getBytes(StandardCharsets.UTF_8), Map.of());
    }

    /** Each output's value as the local stack has it: the HTTP API is this edge port, the secret the local one. */
    Map<String, String> outputs() {
        TemplateValue.Resolver base = app.resolver();
        TemplateValue.Resolver local = new TemplateValue.Resolver() {
            @Override
            public String ref(String name) {
                String type = app.template().resourceType(name).orElse("");
                if (type.equals("AWS::Serverless::HttpApi")) {
                    return "\u0000api\u0000";
                }
                if (type.equals("AWS::SecretsManager::Secret")) {
                    return "local";
                }
                return base.ref(name);
            }

            @Override
            public String getAtt(String logicalId, String attribute) {
                return base.getAtt(logicalId, attribute);
            }
        };
        Map<String, String> out = new LinkedHashMap<>();
        app.template().outputs().forEach((key, def) -> {
            Object value = def instanceof Map<?, ?> m ? m.get("Value") : null;
            String rendered = TemplateValue.of(value, "Outputs." + key + ".Value").render(local);
            out.put(key, rendered.contains("\u0000api\u0000") ? edgeUrl : rendered);
        });
        return out;
    }

    private static Map<String, String> form(Request r) {
        Map<String, String> m = new LinkedHashMap<>();
        String s = new String(r.body, StandardCharsets.UTF_8);
        if (r.rawQuery != null) {
            s = s.isEmpty() ? r.rawQuery : s + "&" + r.rawQuery;
        }
        for (String pair : s.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            m.put(java.net.URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8),
                    eq < 0 ? "" : java.net.URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return m;
    }

    private static void tag(StringBuilder x, String name, String value) {
        x.append('<').append(name).append('>').append(escape(value)).append("</").append(name).append('>');
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    static void error(Request r, int status, String code, String message) throws IOException {
        String x = "<ErrorResponse xmlns=\"" + NS + "\"><Error><Type>Sender</Type><Code>" + escape(code) + "</Code><Message>"
                + escape(message) + "</Message></Error><RequestId>" + java.util.UUID.randomUUID() + "</RequestId></ErrorResponse>";
        r.reply(status, "text/xml", x.getBytes(StandardCharsets.UTF_8), Map.of());
    }
}
