package dev.chunkflow.local.iam;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchGetItemRequest;
import software.amazon.awssdk.services.dynamodb.model.BatchWriteItemRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactGetItemsRequest;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItem;
import software.amazon.awssdk.services.dynamodb.model.TransactWriteItemsRequest;
import software.amazon.awssdk.services.s3.model.CopyObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsRequest;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * What IAM evaluates for one SDK request: the action(s) the operation needs, on which resource ARN, with
 * which condition keys, as each service's authorization reference defines them. S3: GetObject and
 * HeadObject need {@code s3:GetObject} on the object, ListObjects(V2) {@code s3:ListBucket} on the bucket
 * with {@code s3:prefix}/{@code s3:delimiter}/{@code s3:max-keys}, multipart parts {@code s3:PutObject},
 * CopyObject {@code s3:GetObject} on the source and {@code s3:PutObject} on the target, DeleteObjects
 * {@code s3:DeleteObject} per key. DynamoDB: {@code dynamodb:<Operation>} on the table (or its index),
 * per table for batches, per item action for transactions. Step Functions and Secrets Manager:
 * {@code states:<Operation>} / {@code secretsmanager:<Operation>} on the ARN the request names.
 */
public final class AwsActions {
    private static final Map<String, String> PREFIX = Map.of(
            "S3", "s3", "DynamoDb", "dynamodb", "Sfn", "states", "SecretsManager", "secretsmanager",
            "Lambda", "lambda", "Sqs", "sqs", "Sns", "sns", "Sts", "sts", "CloudWatchLogs", "logs");

    private final String region;
    private final String account;

    public AwsActions(String region, String account) {
        this.region = region;
        this.account = account;
    }

    /** The IAM action prefix of an SDK service name ({@code S3} -> {@code s3}). */
    public static String prefix(String sdkServiceName) {
        return PREFIX.getOrDefault(sdkServiceName, sdkServiceName.toLowerCase(java.util.Locale.ROOT));
    }

    /** The requests IAM evaluates for one SDK call; every one must be allowed. */
    public List<IamRequest> of(String service, String operation, SdkRequest request) {
        return switch (service) {
            case "S3" -> s3(operation, request);
            case "DynamoDb" -> dynamoDb(operation, request);
            default -> List.of(new IamRequest(prefix(service) + ":" + operation, arnFor(service, request)));
        };
    }

    public static String objectArn(String bucket, String key) {
        return "arn:aws:s3:::" + bucket + "/" + key;
    }

    public static String bucketArn(String bucket) {
        return "arn:aws:s3:::" + bucket;
    }

    /** The S3 condition keys AWS sets on every request made with the SDK over HTTPS. */
    static Map<String, List<String>> s3Context() {
        Map<String, List<String>> c = new LinkedHashMap<>();
        c.put("aws:SecureTransport", List.of("true"));
        c.put("s3:TlsVersion", List.of("1.3"));
        c.put("s3:signatureversion", List.of("AWS4-HMAC-SHA256"));
        return c;
    }

    private List<IamRequest> s3(String operation, SdkRequest request) {
        String bucket = field(request, "Bucket");
        String key = field(request, "Key");
        Map<String, List<String>> ctx = s3Context();
        switch (operation) {
            case "GetObject", "HeadObject" -> {
                return List.of(new IamRequest("s3:GetObject", objectArn(bucket, key), ctx));
            }
            case "PutObject", "CreateMultipartUpload", "UploadPart", "CompleteMultipartUpload" -> {
                return List.of(new IamRequest("s3:PutObject", objectArn(bucket, key), ctx));
            }
            case "DeleteObject" -> {
                return List.of(new IamRequest("s3:DeleteObject", objectArn(bucket, key), ctx));
            }
            case "AbortMultipartUpload" -> {
                return List.of(new IamRequest("s3:AbortMultipartUpload", objectArn(bucket, key), ctx));
            }
            case "ListParts" -> {
                return List.of(new IamRequest("s3:ListMultipartUploadParts", objectArn(bucket, key), ctx));
            }
            case "DeleteObjects" -> {
                List<IamRequest> out = new ArrayList<>();
                for (ObjectIdentifier id : ((DeleteObjectsRequest) request).delete().objects()) {
                    out.add(new IamRequest("s3:DeleteObject", objectArn(bucket, id.key()), ctx));
                }
                return out;
            }
            case "CopyObject" -> {
                CopyObjectRequest copy = (CopyObjectRequest) request;
                return List.of(new IamRequest("s3:GetObject", objectArn(copy.sourceBucket(), copy.sourceKey()), ctx),
                        new IamRequest("s3:PutObject", objectArn(copy.destinationBucket(), copy.destinationKey()), ctx));
            }
            case "ListObjectsV2", "ListObjects" -> {
                String prefix;
                String delimiter;
                Integer maxKeys;
                if (request instanceof ListObjectsV2Request l) {
                    prefix = l.prefix();
                    delimiter = l.delimiter();
                    maxKeys = l.maxKeys();
                } else {
                    ListObjectsRequest l = (ListObjectsRequest) request;
                    prefix = l.prefix();
                    delimiter = l.delimiter();
                    maxKeys = l.maxKeys();
                }
                if (prefix != null) {
                    ctx.put("s3:prefix", List.of(prefix));
                }
                if (delimiter != null) {
                    ctx.put("s3:delimiter", List.of(delimiter));
                }
                if (maxKeys != null) {
                    ctx.put("s3:max-keys", List.of(String.valueOf(maxKeys)));
                }
                return List.of(new IamRequest("s3:ListBucket", bucketArn(bucket), ctx));
            }
            case "HeadBucket" -> {
                return List.of(new IamRequest("s3:ListBucket", bucketArn(bucket), ctx));
            }
            default -> {
                // Other operations: the action of the same name on the object or the bucket. Not exact for
                // every S3 operation, but the run report shows it, and chunkflow's functions use none.
                return List.of(new IamRequest("s3:" + operation, key != null ? objectArn(bucket, key) : bucketArn(bucket), ctx));
            }
        }
    }

    private List<IamRequest> dynamoDb(String operation, SdkRequest request) {
        List<IamRequest> out = new ArrayList<>();
        if (request instanceof BatchGetItemRequest b) {
            b.requestItems().keySet().forEach(t -> out.add(new IamRequest("dynamodb:BatchGetItem", tableArn(t))));
        } else if (request instanceof BatchWriteItemRequest b) {
            b.requestItems().keySet().forEach(t -> out.add(new IamRequest("dynamodb:BatchWriteItem", tableArn(t))));
        } else if (request instanceof TransactWriteItemsRequest t) {
            for (TransactWriteItem item : t.transactItems()) {
                if (item.put() != null) {
                    out.add(new IamRequest("dynamodb:PutItem", tableArn(item.put().tableName())));
                } else if (item.update() != null) {
                    out.add(new IamRequest("dynamodb:UpdateItem", tableArn(item.update().tableName())));
                } else if (item.delete() != null) {
                    out.add(new IamRequest("dynamodb:DeleteItem", tableArn(item.delete().tableName())));
                } else if (item.conditionCheck() != null) {
                    out.add(new IamRequest("dynamodb:ConditionCheckItem", tableArn(item.conditionCheck().tableName())));
                }
            }
        } else if (request instanceof TransactGetItemsRequest t) {
            t.transactItems().forEach(i -> out.add(new IamRequest("dynamodb:GetItem", tableArn(i.get().tableName()))));
        } else {
            String table = field(request, "TableName");
            String index = field(request, "IndexName");
            String arn = table == null ? "*" : tableArn(table) + (index == null ? "" : "/index/" + index);
            out.add(new IamRequest("dynamodb:" + operation, arn));
        }
        return out;
    }

    private String tableArn(String table) {
        return table.startsWith("arn:") ? table : "arn:aws:dynamodb:" + region + ":" + account + ":table/" + table;
    }

    /** The ARN a Step Functions / Secrets Manager / other request acts on, from the field naming it. */
    private String arnFor(String service, SdkRequest request) {
        for (String f : List.of("stateMachineArn", "executionArn", "SecretId", "FunctionName", "QueueUrl", "TopicArn")) {
            String v = field(request, f);
            if (v != null) {
                if (service.equals("SecretsManager") && !v.startsWith("arn:")) {
                    return "arn:aws:secretsmanager:" + region + ":" + account + ":secret:" + v;
                }
                if (service.equals("Lambda") && !v.startsWith("arn:")) {
                    return "arn:aws:lambda:" + region + ":" + account + ":function:" + v;
                }
                return v;
            }
        }
        return "*";
    }

    /** A request member by its wire name (the SDK's generic accessor), null when absent. */
    private static String field(SdkRequest request, String name) {
        for (String candidate : List.of(name, Character.toLowerCase(name.charAt(0)) + name.substring(1),
                Character.toUpperCase(name.charAt(0)) + name.substring(1))) {
            var v = request.getValueForField(candidate, Object.class);
            if (v.isPresent()) {
                return String.valueOf(v.get());
            }
        }
        return null;
    }
}
