package dev.chunkflow.etl;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Log;
import software.amazon.awssdk.services.ssm.SsmClient;

/**
 * The pseudonymization secret. On AWS, {@code TOKEN_SECRET_PARAM} names an SSM SecureString, read once
 * per execution environment (then cached for every later invocation). Unset or {@code "local"} selects
 * {@link #LOCAL_DEFAULT}: a fixed, public value for local runs and tests only, whose tokens protect
 * nothing; a warning is logged when it is used.
 */
public final class TokenSecret {
    /** LOCAL ONLY. Public, fixed, not a secret: never use it for real data. */
    public static final String LOCAL_DEFAULT = "chunkflow-LOCAL-ONLY-default-token-secret-not-for-real-data";
    static final int MIN_LENGTH = 16;

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static volatile boolean warned;

    private TokenSecret() {
    }

    public static boolean isLocal(Env env) {
        return env.get("TOKEN_SECRET_PARAM").map("local"::equals).orElse(true);
    }

    public static byte[] resolve(Env env, Supplier<SsmClient> ssm) {
        if (isLocal(env)) {
            if (!warned) {
                warned = true;
                Log.warn("TOKEN_SECRET_PARAM unset or 'local': using the fixed LOCAL-ONLY token secret; tokens are not protected");
            }
            return LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8);
        }
        String name = env.require("TOKEN_SECRET_PARAM");
        return CACHE.computeIfAbsent(name, n -> fetch(ssm.get(), n)).clone();
    }

    private static byte[] fetch(SsmClient ssm, String name) {
        String value = ssm.getParameter(b -> b.name(name).withDecryption(true)).parameter().value();
        if (value == null || value.length() < MIN_LENGTH) {
            throw new IllegalStateException("SSM parameter " + name + " (TOKEN_SECRET_PARAM) must hold at least "
                    + MIN_LENGTH + " characters");
        }
        Log.info("token secret loaded", "parameter", name);
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Forgets cached secrets (tests). */
    static void clearCache() {
        CACHE.clear();
    }
}
