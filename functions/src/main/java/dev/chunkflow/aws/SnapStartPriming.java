package dev.chunkflow.aws;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.crac.Context;
import org.crac.Core;
import org.crac.Resource;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.settings.Settings;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointParams;
import software.amazon.awssdk.services.dynamodb.endpoints.DynamoDbEndpointProvider;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.UpdateItemRequest;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;

/**
 * SnapStart priming, run once before Lambda takes the snapshot of an initialized execution
 * environment (CRaC {@code beforeCheckpoint}): everything that costs time on a first request but needs
 * no network is done here so it is in the snapshot. It does not call AWS (no request is sent, no
 * credentials are used: credentials and connections must not be baked into a snapshot).
 *
 * <ul>
 *   <li>Jackson: a round trip of a payload shaped like the task payloads (serializers, parser tables);</li>
 *   <li>the SDK clients the function may use are built, lazy ones included (the job store asks for its S3
 *       client and presigner only on a first offload; ProcessChunk for Secrets Manager on its first chunk);
 *       which ones follows from the function's environment;</li>
 *   <li>the S3 and DynamoDB endpoint rule engines resolve an endpoint (the rules are large and are
 *       otherwise evaluated on the first call);</li>
 *   <li>request builders of the calls chunkflow makes (PutObject, UpdateItem) load their model classes.</li>
 * </ul>
 */
final class SnapStartPriming implements Resource {
    private static volatile SnapStartPriming registered;
    private final AwsClients clients;

    private SnapStartPriming(AwsClients clients) {
        this.clients = clients;
    }

    /** Registers once per execution environment, only where Lambda initializes for SnapStart. */
    static void registerIfSnapStart(AwsClients clients) {
        if (!"snap-start".equals(clients.env().get("AWS_LAMBDA_INITIALIZATION_TYPE").orElse(""))) {
            return;
        }
        synchronized (SnapStartPriming.class) {
            if (registered == null) {
                registered = new SnapStartPriming(clients); // a strong reference: CRaC may hold resources weakly
                Core.getGlobalContext().register(registered);
            }
        }
    }

    static boolean isRegistered() {
        return registered != null;
    }

    @Override
    public void beforeCheckpoint(Context<? extends Resource> context) {
        long started = System.nanoTime();
        buildClients(clients);
        prime(clients.region());
        Log.info("snapstart priming done", "ms", (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public void afterRestore(Context<? extends Resource> context) {
        // nothing to refresh: clients resolve credentials per request and open connections lazily
    }

    /**
     * Builds, without sending a request or resolving credentials, every client the function's environment
     * says it may use, so that none is built after a restore.
     */
    static void buildClients(AwsClients clients) {
        Env env = clients.env();
        if (env.get(Settings.DATA_BUCKET).isPresent()) {
            clients.s3();
        }
        if (env.get(Settings.JOBS_TABLE).isPresent()) {
            clients.dynamoDb();
            clients.presigner(); // GetJob presigns offloaded attributes
        }
        if (env.get(Settings.STATE_MACHINE_ARN).isPresent()) {
            clients.sfn();
        }
        if (env.get(Settings.TOKEN_SECRET_ARN).filter(v -> !v.equals("local")).isPresent()) {
            clients.secretsManager(); // the client only: the secret itself is read after the restore
        }
    }

    /** The work itself; also callable directly (benchmarks measure what it saves). */
    static void prime(Region region) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("job_id", "priming");
        payload.put("chunk_ids", List.of(0, 1, 2));
        payload.put("counters", Map.of("rows_in", 1L));
        Json.readTree(Json.bytes(payload));

        S3EndpointProvider.defaultProvider().resolveEndpoint(S3EndpointParams.builder()
                .region(region).bucket("priming-bucket").build()).join();
        DynamoDbEndpointProvider.defaultProvider().resolveEndpoint(DynamoDbEndpointParams.builder()
                .region(region).build()).join();

        PutObjectRequest.builder().bucket("priming-bucket").key("priming").contentType("application/json").build();
        UpdateItemRequest.builder().tableName("priming").key(Map.of("job_id", AttributeValue.fromS("priming")))
                .updateExpression("ADD #n :v").build();
    }
}
