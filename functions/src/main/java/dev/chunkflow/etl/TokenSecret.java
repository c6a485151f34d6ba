package dev.chunkflow.etl;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Log;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The pseudonymization secret. On AWS, {@code TOKEN_SECRET_ARN} names a Secrets Manager secret (the
 * template's {@code TokenSecret}, generated at stack creation) whose {@code SecretString} is the HMAC key,
 * read once per execution environment (then cached for every later invocation). Unset or {@code "local"}
 * selects {@link #LOCAL_DEFAULT}: a fixed, public value for local runs and tests only, whose tokens protect
 * nothing; a warning is logged when it is used.
 */
public final class TokenSecret {
    /** LOCAL ONLY. Public, fixed, not a secret: never use it for real data. */
    public static final String LOCAL_DEFAULT = "chunkflow-LOCAL-ONLY-default-token-secret-not-for-real-data";
    public static final String ENV = "TOKEN_SECRET_ARN";
    static final int MIN_LENGTH = 16;

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static volatile boolean warned;

    private TokenSecret() {
    }

    public static boolean isLocal(Env env) {
        return env.get(ENV).map("local"::equals).orElse(true);
    }

    public static byte[] resolve(Env env, Supplier<SecretsManagerClient> secretsManager) {
        if (isLocal(env)) {
            if (!warned) {
                warned = true;
                Log.warn(ENV + " unset or 'local': using the fixed LOCAL-ONLY token secret; tokens are not protected");
            }
            return LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8);
        }
        String id = env.require(ENV);
        return CACHE.computeIfAbsent(id, n -> fetch(secretsManager.get(), n)).clone();
    }

    private static byte[] fetch(SecretsManagerClient secretsManager, String id) {
        String value = secretsManager.getSecretValue(b -> b.secretId(id)).secretString();
        if (value == null || value.length() < MIN_LENGTH) {
            throw new IllegalStateException("secret " + id + " (" + ENV + ") must hold a SecretString of at least "
                    + MIN_LENGTH + " characters");
        }
        Log.info("token secret loaded", "secret", id);
        return value.getBytes(StandardCharsets.UTF_8);
    }

    /** Forgets cached secrets (tests). */
    static void clearCache() {
        CACHE.clear();
    }
}
