package dev.chunkflow.local.lambda;

/** The ARNs the local runner substitutes into a definition: real ARN syntax, local account, alias "live". */
public final class LocalArns {
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT = "000000000000";

    private LocalArns() {
    }

    public static String function(String logicalId) {
        return "arn:aws:lambda:" + REGION + ":" + ACCOUNT + ":function:" + logicalId + ":live";
    }

    public static String stateMachine(String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":stateMachine:" + name;
    }

    public static String execution(String stateMachine, String name) {
        return "arn:aws:states:" + REGION + ":" + ACCOUNT + ":execution:" + stateMachine + ":" + name;
    }

    /**
     * The function name in anything Lambda accepts as FunctionName: a name, a partial
     * ({@code 123:function:Name}) or full ARN, with or without a qualifier.
     */
    public static String functionName(String arnOrName) {
        String s = arnOrName;
        int i = s.indexOf(":function:");
        if (i >= 0) {
            s = s.substring(i + ":function:".length());
        }
        int q = s.indexOf(':');
        return q >= 0 ? s.substring(0, q) : s;
    }
}
