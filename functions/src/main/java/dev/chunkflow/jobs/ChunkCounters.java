package dev.chunkflow.jobs;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;

/**
 * A chunk's counters added to the job exactly once, whatever crashes or retries happen around it.
 * The ADD carries the chunk's id into {@value #COUNTING} in the same UpdateItem, on condition that it
 * is not there yet, so a repeat (a Lambda retry after a crash, or the SDK's retry after a timeout on a
 * write that was applied) is refused by DynamoDB itself. The caller adds the counters before it
 * creates the chunk's result object and calls {@link #done} after: an existing result means counted,
 * and the set only holds chunks in flight (plus any whose environment died between the two), not one
 * id per chunk of the job, so the item stays small at 100,000 chunks.
 */
public final class ChunkCounters {
    /** Number set of the chunks whose counters were added and whose result object may not exist yet. */
    public static final String COUNTING = "chunks_counting";

    private final DynamoDbClient ddb;
    private final String table;

    public ChunkCounters(DynamoDbClient ddb, String table) {
        this.ddb = ddb;
        this.table = table;
    }

    /** ADDs {@code deltas} unless chunk {@code chunkId}'s are already added; true if this call added them. */
    public boolean addOnce(String jobId, int chunkId, Map<String, Long> deltas) {
        JobId.require(jobId);
        Map<String, String> names = new HashMap<>();
        Map<String, AttributeValue> values = new HashMap<>();
        List<String> adds = new ArrayList<>();
        int i = 0;
        for (Map.Entry<String, Long> e : deltas.entrySet()) {
            names.put("#c" + i, e.getKey());
            values.put(":c" + i, AttributeValue.fromN(Long.toString(e.getValue())));
            adds.add("#c" + i + " :c" + i);
            i++;
        }
        names.put("#counting", COUNTING);
        names.put("#updated", JobItem.UPDATED_AT);
        names.put("#created", JobItem.CREATED_AT);
        names.put("#status", JobItem.STATUS);
        names.put("#version", JobItem.VERSION);
        values.put(":queued", AttributeValue.fromS(JobStatus.QUEUED.name()));
        values.put(":one", AttributeValue.fromN("1"));
        values.put(":chunkSet", AttributeValue.fromNs(List.of(Integer.toString(chunkId))));
        values.put(":chunk", AttributeValue.fromN(Integer.toString(chunkId)));
        values.put(":now", AttributeValue.fromS(java.time.Instant.now().toString()));
        try {
            ddb.updateItem(b -> b.tableName(table).key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))
                    // An item a counter creates (workers racing the creator) still gets the record's basic shape.
                    .updateExpression("ADD " + String.join(", ", adds) + ", #counting :chunkSet SET #updated = :now"
                            + ", #created = if_not_exists(#created, :now), #status = if_not_exists(#status, :queued)"
                            + ", #version = if_not_exists(#version, :one)")
                    .conditionExpression("NOT contains(#counting, :chunk)")
                    .expressionAttributeNames(names).expressionAttributeValues(values));
            return true;
        } catch (ConditionalCheckFailedException e) {
            return false;
        }
    }

    /** The chunk's result object exists: its id leaves the in-flight set (idempotent). */
    public void done(String jobId, int chunkId) {
        JobId.require(jobId);
        ddb.updateItem(b -> b.tableName(table).key(Map.of(JobItem.JOB_ID, AttributeValue.fromS(jobId)))
                .updateExpression("DELETE #counting :chunkSet")
                .expressionAttributeNames(Map.of("#counting", COUNTING))
                .expressionAttributeValues(Map.of(":chunkSet", AttributeValue.fromNs(List.of(Integer.toString(chunkId))))));
    }
}
