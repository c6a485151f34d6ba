package dev.chunkflow.local.bench.coldstart;

import java.util.Map;
import java.util.TreeMap;

import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.testkit.EmbeddedS3;

/** One thing started cold: a function of template.yaml (or the floor) with the environment Lambda would give it. */
record Target(String name, String handler, int memoryMb, String snapStart, Map<String, String> env) {

    /** What a Lambda execution environment holds: the template's variables, Lambda's own, local endpoints, credentials. */
    static Map<String, String> lambdaEnv(String function, int memoryMb, Map<String, String> template, Map<String, String> endpoints,
                                         String handler) {
        Map<String, String> env = new TreeMap<>(template);
        env.putAll(endpoints);
        env.put("AWS_REGION", LocalArns.REGION);
        env.put("AWS_DEFAULT_REGION", LocalArns.REGION);
        env.put("AWS_ACCESS_KEY_ID", EmbeddedS3.ACCESS_KEY);
        env.put("AWS_SECRET_ACCESS_KEY", EmbeddedS3.SECRET_KEY);
        env.put("AWS_LAMBDA_FUNCTION_NAME", function);
        env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memoryMb));
        env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
        env.put("AWS_LAMBDA_INITIALIZATION_TYPE", "on-demand");
        env.put("AWS_EXECUTION_ENV", "AWS_Lambda_java21");
        env.put("TZ", ":UTC");
        env.put("LANG", "en_US.UTF-8");
        if (handler != null) {
            env.put("_HANDLER", handler);
        }
        return env;
    }
}
