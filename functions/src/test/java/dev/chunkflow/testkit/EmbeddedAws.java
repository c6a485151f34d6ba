package dev.chunkflow.testkit;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ResourceInUseException;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;

/**
 * The embedded AWS used by every test and by the local runner: an S3 API server and DynamoDB Local on
 * loopback, the data bucket and jobs table created as template.yaml defines them, and the
 * {@link Env} a function would see (same variable names as on Lambda, endpoints pointing here).
 */
public final class EmbeddedAws implements AutoCloseable {
    public static final String DEFAULT_BUCKET = "chunkflow-data";
    public static final String DEFAULT_TABLE = "chunkflow-jobs";

    private final EmbeddedS3 s3Server;
    private final EmbeddedDynamoDb ddbServer;
    private final Env env;
    private final AwsClients clients;

    private EmbeddedAws(EmbeddedS3 s3Server, EmbeddedDynamoDb ddbServer, String bucket, String table) {
        this.s3Server = s3Server;
        this.ddbServer = ddbServer;
        Map<String, String> vars = new HashMap<>();
        vars.put("AWS_REGION", "us-east-1");
        vars.put("AWS_ENDPOINT_URL_S3", s3Server.endpoint().toString());
        vars.put("AWS_ENDPOINT_URL_DYNAMODB", ddbServer.endpoint().toString());
        vars.put("DATA_BUCKET", bucket);
        vars.put("JOBS_TABLE", table);
        this.env = Env.of(vars);
        // Credentials for the local servers only (DynamoDB Local accepts letters and digits only);
        // provider chain (the one Lambda uses) finds them without touching the real environment.
        System.setProperty("aws.accessKeyId", EmbeddedS3.ACCESS_KEY);
        System.setProperty("aws.secretAccessKey", EmbeddedS3.SECRET_KEY);
        this.clients = new AwsClients(env);
        createBucket(clients.s3(), bucket);
        createJobsTable(clients.dynamoDb(), table);
    }

    /** Both servers in memory on free ports. */
    public static EmbeddedAws inMemory() throws Exception {
        return new EmbeddedAws(EmbeddedS3.inMemory(), EmbeddedDynamoDb.inMemory(), DEFAULT_BUCKET, DEFAULT_TABLE);
    }

    /** Both servers persisting under {@code stateDir} ({@code s3/}, {@code dynamodb/}). */
    public static EmbeddedAws onDisk(Path stateDir, String bucket, String table, int s3Port, int ddbPort) throws Exception {
        return new EmbeddedAws(EmbeddedS3.onDisk(stateDir.resolve("s3"), s3Port),
                EmbeddedDynamoDb.onDisk(stateDir.resolve("dynamodb"), ddbPort), bucket, table);
    }

    public static void createBucket(S3Client s3, String bucket) {
        try {
            if (s3.listBuckets().buckets().stream().noneMatch(b -> b.name().equals(bucket))) {
                s3.createBucket(b -> b.bucket(bucket));
            }
        } catch (BucketAlreadyOwnedByYouException ignored) {
            // already there
        }
    }

    /** The jobs table as template.yaml declares it: partition key job_id (S), on-demand. */
    public static void createJobsTable(DynamoDbClient ddb, String table) {
        try {
            ddb.createTable(b -> b.tableName(table)
                    .attributeDefinitions(AttributeDefinition.builder().attributeName("job_id").attributeType(ScalarAttributeType.S).build())
                    .keySchema(KeySchemaElement.builder().attributeName("job_id").keyType(KeyType.HASH).build())
                    .billingMode(BillingMode.PAY_PER_REQUEST));
        } catch (ResourceInUseException ignored) {
            // already there
        }
    }

    public Env env() {
        return env;
    }

    public AwsClients clients() {
        return clients;
    }

    public S3Client s3() {
        return clients.s3();
    }

    public DynamoDbClient dynamoDb() {
        return clients.dynamoDb();
    }

    public String bucket() {
        return env.require("DATA_BUCKET");
    }

    public String table() {
        return env.require("JOBS_TABLE");
    }

    @Override
    public void close() throws Exception {
        clients.close();
        try {
            ddbServer.close();
        } finally {
            s3Server.close();
        }
    }
}
