package dev.chunkflow.pipeline.process;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Log;
import dev.chunkflow.settings.InvalidSetting;
import dev.chunkflow.settings.Settings;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/**
 * The pseudonymization secret. On AWS, {@code TOKEN_SECRET_ARN} names a Secrets Manager secret (the
 * template's {@code TokenSecret}, generated at stack creation) whose {@code SecretString} is the HMAC key,
 * read once per execution environment (then cached for every later invocation). {@code "local"} selects
 * {@link #LOCAL_DEFAULT}: a fixed, public value for local runs and tests only, whose tokens protect nothing;
 * a warning is logged when it is used. Unset means the same only off Lambda: in a Lambda execution
 * environment an unset variable fails closed ({@link #requireConfigured}, called when the handler is built),
 * because a deployment that lost the variable would otherwise pseudonymize real SSNs with a public key.
 */
public final class TokenSecret {
    /** LOCAL ONLY. Public, fixed, not a secret: never use it for real data. */
    public static final String LOCAL_DEFAULT = "chunkflow-LOCAL-ONLY-default-token-secret-not-for-real-data";
    public static final String ENV = Settings.TOKEN_SECRET_ARN;
    static final int MIN_LENGTH = 16;

    private static final Map<String, byte[]> CACHE = new ConcurrentHashMap<>();
    private static volatile boolean warned;

    private TokenSecret() {
    }

    public static boolean isLocal(Env env) {
        return env.get(ENV).map("local"::equals).orElse(true);
    }

    /** On Lambda, {@code TOKEN_SECRET_ARN} must be set: {@link InvalidSetting} (an init error) otherwise. */
    public static void requireConfigured(Env env) {
        if (Settings.onLambda(env) && env.get(ENV).isEmpty()) {
            throw new InvalidSetting(ENV, "is not set; on Lambda the patient_token key must come from Secrets Manager"
                    + " (the stack's TokenSecret). Refusing the public LOCAL-ONLY key; set 'local' only for throwaway data");
        }
    }

    public static byte[] resolve(Env env, Supplier<SecretsManagerClient> secretsManager) {
        requireConfigured(env);
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
            throw new InvalidSetting(ENV, "secret " + id + " must hold a SecretString of at least "
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
