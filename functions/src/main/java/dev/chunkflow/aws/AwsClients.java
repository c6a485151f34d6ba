package dev.chunkflow.aws;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import dev.chunkflow.common.Lazy;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.EnvironmentVariableCredentialsProvider;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.sfn.SfnClient;

/**
 * Builds the SDK v2 clients from an {@link Env}: region from {@code AWS_REGION}, optional endpoint
 * overrides from {@code AWS_ENDPOINT_URL_S3} / {@code AWS_ENDPOINT_URL_DYNAMODB} /
 * {@code AWS_ENDPOINT_URL_SFN} / {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} (S3 then uses path-style
 * addressing, as local S3 servers need),
 * the url-connection HTTP client (smallest cold start; no netty, no apache). Credentials: on Lambda, where
 * the runtime puts the function role's credentials in the process environment, straight from there
 * ({@link EnvironmentVariableCredentialsProvider}, AWS's cold-start advice: no provider chain to build);
 * anywhere else the default chain (system properties, profiles, SSO, containers, ...).
 * Clients are meant to be built once per execution environment and reused.
 *
 * <p>Known cold-start cost that no client setting avoids in SDK 2.40.x: the first client build loads the
 * metadata classes of every AWS service ({@code GeneratedServiceMetadataProvider}), because
 * {@code AwsDefaultClientBuilder.resolveSigningRegion} always derives the signing region from
 * {@code ServiceMetadata.of(endpointPrefix)}, even with an explicit region and endpoint override (it is set
 * with {@code lazyOption}, not {@code IfAbsent}, and resolved when the client configuration is built).
 * aws-sdk-java-v2 #3664; fixed upstream by #7163 / #7161, which take the signing region from the endpoint
 * rules: an SDK upgrade removes it. SnapStart priming builds the clients, so a restore does not pay it.
 */
public final class AwsClients implements AutoCloseable {
    private final Env env;
    private final Region region;
    private final AwsCredentialsProvider credentials;
    private final Lazy<S3Client> s3 = new Lazy<>(this::buildS3);
    private final Lazy<S3Presigner> presigner = new Lazy<>(this::buildPresigner);
    private final Lazy<DynamoDbClient> dynamoDb = new Lazy<>(this::buildDynamoDb);
    private final Lazy<SfnClient> sfn = new Lazy<>(this::buildSfn);
    private final Lazy<SecretsManagerClient> secretsManager = new Lazy<>(this::buildSecretsManager);

    private final List<ExecutionInterceptor> interceptors;

    public AwsClients(Env env) {
        this(env, List.of());
    }

    /** @param interceptors added to every client (the local runner counts requests with one) */
    public AwsClients(Env env, List<ExecutionInterceptor> interceptors) {
        this.env = env;
        this.interceptors = List.copyOf(interceptors);
        this.region = Region.of(env.get("AWS_REGION").orElse("us-east-1"));
        this.credentials = credentials(System.getenv());
        SnapStartPriming.registerIfSnapStart(this);
    }

    /**
     * {@link EnvironmentVariableCredentialsProvider} when this process runs on Lambda and Lambda gave it credentials in
     * its environment, else the default chain. The process environment, not {@link #env()}: the local runner hands
     * in-process functions an {@link Env} of their own while its credentials are system properties, and SnapStart
     * functions get no credential variables (they read the container endpoint the default chain knows).
     */
    static AwsCredentialsProvider credentials(java.util.Map<String, String> processEnv) {
        boolean onLambda = !isBlank(processEnv.get("AWS_LAMBDA_FUNCTION_NAME"));
        if (onLambda && !isBlank(processEnv.get("AWS_ACCESS_KEY_ID")) && !isBlank(processEnv.get("AWS_SECRET_ACCESS_KEY"))) {
            return EnvironmentVariableCredentialsProvider.create();
        }
        return DefaultCredentialsProvider.builder().build();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    public Env env() {
        return env;
    }

    public Region region() {
        return region;
    }

    private static SdkHttpClient http() {
        return UrlConnectionHttpClient.builder()
                .connectionTimeout(Duration.ofSeconds(5))
                .socketTimeout(Duration.ofSeconds(60))
                .build();
    }

    private ClientOverrideConfiguration overrides() {
        return ClientOverrideConfiguration.builder().apiCallTimeout(Duration.ofMinutes(2))
                .executionInterceptors(interceptors).build();
    }

    private Optional<URI> endpoint(String name) {
        return env.get(name).map(URI::create);
    }

    public S3Client s3() {
        return s3.get();
    }

    private S3Client buildS3() {
        var b = S3Client.builder().region(region).credentialsProvider(credentials)
                .httpClient(http()).overrideConfiguration(overrides());
        endpoint("AWS_ENDPOINT_URL_S3").ifPresent(u -> b.endpointOverride(u).forcePathStyle(true)
                .overrideConfiguration(overrides().toBuilder().addExecutionInterceptor(new NoExpectContinue()).build()));
        return b.build();
    }

    public S3Presigner presigner() {
        return presigner.get();
    }

    private S3Presigner buildPresigner() {
        var b = S3Presigner.builder().region(region).credentialsProvider(credentials);
        endpoint("AWS_ENDPOINT_URL_S3").ifPresent(u -> b.endpointOverride(u)
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build()));
        return b.build();
    }

    public DynamoDbClient dynamoDb() {
        return dynamoDb.get();
    }

    private DynamoDbClient buildDynamoDb() {
        var b = DynamoDbClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(http()).overrideConfiguration(overrides());
        endpoint("AWS_ENDPOINT_URL_DYNAMODB").ifPresent(b::endpointOverride);
        return b.build();
    }

    public SfnClient sfn() {
        return sfn.get();
    }

    private SfnClient buildSfn() {
        var b = SfnClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(http()).overrideConfiguration(overrides());
        endpoint("AWS_ENDPOINT_URL_SFN").ifPresent(b::endpointOverride);
        return b.build();
    }

    public SecretsManagerClient secretsManager() {
        return secretsManager.get();
    }

    private SecretsManagerClient buildSecretsManager() {
        var b = SecretsManagerClient.builder().region(region).credentialsProvider(credentials)
                .httpClient(http()).overrideConfiguration(overrides());
        endpoint("AWS_ENDPOINT_URL_SECRETS_MANAGER").ifPresent(b::endpointOverride);
        return b.build();
    }

    /**
     * For S3 API servers reached through an endpoint override (the local S3 server): PUTs go without
     * {@code Expect: 100-continue}. Under parallel PUTs the local server's Jetty closes a share of
     * keep-alive connections that carry the expectation, and the url-connection client surfaces that
     * as an UncheckedIOException the SDK does not retry (fixed in SDK releases not yet served here,
     * aws-sdk-java-v2 #7347). Real S3 keeps the SDK's default.
     */
    static final class NoExpectContinue implements software.amazon.awssdk.core.interceptor.ExecutionInterceptor {
        @Override
        public software.amazon.awssdk.http.SdkHttpRequest modifyHttpRequest(
                software.amazon.awssdk.core.interceptor.Context.ModifyHttpRequest context,
                software.amazon.awssdk.core.interceptor.ExecutionAttributes attributes) {
            return context.httpRequest().toBuilder().removeHeader("Expect").build();
        }
    }

    @Override
    public void close() {
        s3.ifBuilt().ifPresent(S3Client::close);
        presigner.ifBuilt().ifPresent(S3Presigner::close);
        dynamoDb.ifBuilt().ifPresent(DynamoDbClient::close);
        sfn.ifBuilt().ifPresent(SfnClient::close);
        secretsManager.ifBuilt().ifPresent(SecretsManagerClient::close);
    }
}
