package dev.chunkflow.local.run;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.chunkflow.jobs.JobItem;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * DynamoDB's TTL, emulated: DynamoDB Local keeps items whose TTL attribute has passed, where AWS
 * deletes them in the background (typically within a few days). This deletes the job items whose
 * {@code expires_at} lies before {@code now}, each conditionally, so an item a write has just given a
 * new expiry stays.
 */
public final class ExpiredItems {
    private ExpiredItems() {
    }

    /** The expired job ids, deleted unless {@code dryRun}. */
    public static List<String> sweep(DynamoDbClient ddb, String table, Instant now, boolean dryRun) {
        Map<String, String> names = Map.of("#e", JobItem.EXPIRES_AT);
        Map<String, AttributeValue> values = Map.of(":now", AttributeValue.fromN(Long.toString(now.getEpochSecond())));
        List<String> expired = new ArrayList<>();
        ddb.scanPaginator(b -> b.tableName(table).consistentRead(true).filterExpression("#e < :now")
                        .expressionAttributeNames(names).expressionAttributeValues(values).projectionExpression("job_id"))
                .items().forEach(item -> expired.add(item.get(JobItem.JOB_ID).s()));
        List<String> done = new ArrayList<>();
        for (String jobId : expired) {
            if (dryRun) {
                done.add(jobId);
                continue;
            }
            try {
                ddb.deleteItem(b -> b.tableName(table).key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))
                        .conditionExpression("#e < :now").expressionAttributeNames(names).expressionAttributeValues(values));
                done.add(jobId);
            } catch (ConditionalCheckFailedException e) {
                // written again since the scan: it lives on
            }
        }
        return done;
    }
}
