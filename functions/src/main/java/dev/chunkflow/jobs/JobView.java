package dev.chunkflow.jobs;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.S3Reference;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The job as GetJob returns it. Inline steps are returned as they are. Offloaded steps come as a
 * presigned GET URL (made now, never stored) plus the stored preview; when asked to include them they
 * are loaded inline only while the whole Lambda response stays within {@link #RESPONSE_BUDGET_BYTES},
 * otherwise the response says why and keeps the URL. Offloaded attributes are resolved within the same
 * budget, else returned as their reference plus a URL.
 */
final class JobView {
    /** Kept free under Lambda's response limit: the API Gateway envelope, headers and JSON escaping slack. */
    private static final long RESPONSE_HEADROOM_BYTES = 256 * 1024;
    /** Below Lambda's 6,291,556-byte response limit, with {@link #RESPONSE_HEADROOM_BYTES} to spare. */
    static final long RESPONSE_BUDGET_BYTES = AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES - RESPONSE_HEADROOM_BYTES;
    /** statusCode, headers, isBase64Encoded around the body string. */
    private static final long ENVELOPE_BYTES = 512;

    private final JobStore store;
    private final Duration urlTtl;
    private final long budget;

    JobView(JobStore store, Duration urlTtl, long budget) {
        this.store = store;
        this.urlTtl = urlTtl;
        this.budget = budget;
    }

    Map<String, Object> render(JobItem item, boolean includeSteps) {
        String jobId = item.jobId();
        Map<String, Object> out = new LinkedHashMap<>();
        Map<String, S3Reference> references = new LinkedHashMap<>();
        for (Map.Entry<String, AttributeValue> e : item.attributes().entrySet()) {
            String name = e.getKey();
            if (name.equals(JobItem.STEPS) || JobItem.STEPS_POINTER.contains(name)) {
                continue;
            }
            Optional<S3Reference> ref = S3Reference.from(e.getValue());
            if (ref.isPresent() && store.isOwnObject(jobId, ref.get())) {
                references.put(name, ref.get());
            } else {
                out.put(name, AttributeValues.toObject(e.getValue()));
            }
        }
        out.put("execution_steps_location", item.stepsLocation());
        if (item.stepsOffloaded()) {
            offloadedSteps(item, includeSteps, out);
        } else {
            out.put(JobItem.STEPS, store.loadSteps(item).orElse(List.of()));
        }
        references.forEach((name, ref) -> out.put(name, referenced(jobId, name, ref, out)));
        return out;
    }

    private void offloadedSteps(JobItem item, boolean include, Map<String, Object> out) {
        String key = item.stepsKey().orElseThrow();
        Map<String, AttributeValue> a = item.attributes();
        out.put(JobItem.STEPS_COUNT, a.containsKey(JobItem.STEPS_COUNT) ? AttributeValues.toObject(a.get(JobItem.STEPS_COUNT)) : null);
        out.put(JobItem.STEPS_BYTES, a.containsKey(JobItem.STEPS_BYTES) ? AttributeValues.toObject(a.get(JobItem.STEPS_BYTES)) : null);
        out.put(JobItem.STEPS_PREVIEW, a.containsKey(JobItem.STEPS_PREVIEW) ? AttributeValues.toObject(a.get(JobItem.STEPS_PREVIEW)) : List.of());
        if (!store.objects().exists(key)) {
            missingSteps(item.jobId(), key, out);
            return;
        }
        out.put("execution_steps_s3_url", store.objects().presignGet(key, urlTtl).toString());
        out.put("execution_steps_s3_url_expires_in_seconds", urlTtl.toSeconds());
        if (!include) {
            return;
        }
        long stepsBytes = a.containsKey(JobItem.STEPS_BYTES) ? Long.parseLong(a.get(JobItem.STEPS_BYTES).n()) : 0;
        long without = responseBytes(out);
        if (without + stepsBytes > budget) {
            notIncluded(out, stepsBytes, without + stepsBytes);
            return;
        }
        Optional<List<Object>> steps = store.loadSteps(item);
        if (steps.isEmpty()) {
            out.remove("execution_steps_s3_url");
            out.remove("execution_steps_s3_url_expires_in_seconds");
            missingSteps(item.jobId(), key, out);
            return;
        }
        out.put(JobItem.STEPS, steps.get());
        long with = responseBytes(out);
        if (with > budget) {
            out.remove(JobItem.STEPS);
            notIncluded(out, stepsBytes, with);
        }
    }

    private void notIncluded(Map<String, Object> out, long stepsBytes, long responseBytes) {
        out.put("execution_steps_not_included", "the execution steps (" + stepsBytes + " bytes of JSON) would make the"
                + " response " + responseBytes + " bytes, above its budget of " + budget + " bytes (Lambda's response"
                + " limit is " + AwsLimits.LAMBDA_SYNC_RESPONSE_BYTES + "); download them from execution_steps_s3_url");
    }

    private static void missingSteps(String jobId, String key, Map<String, Object> out) {
        Log.error("offloaded execution_steps object is missing", "job_id", jobId, "key", key);
        out.put(JobItem.STEPS, List.of());
        out.put("execution_steps_error", "the offloaded execution steps object is missing");
    }

    private Object referenced(String jobId, String name, S3Reference ref, Map<String, Object> out) {
        if (ref.size() >= 0 && responseBytes(out) + ref.size() <= budget) {
            Optional<Object> value = store.resolve(jobId, ref);
            if (value.isPresent()) {
                Map<String, Object> probe = new LinkedHashMap<>(out);
                probe.put(name, value.get());
                if (responseBytes(probe) <= budget) {
                    return value.get();
                }
            } else {
                Map<String, Object> r = referenceMap(ref);
                r.put("error", "the offloaded object is missing");
                return r;
            }
        }
        Map<String, Object> r = referenceMap(ref);
        r.put("url", store.objects().presignGet(ref.key(), urlTtl).toString());
        r.put("not_included", "resolving it would take the response above its budget of " + budget + " bytes");
        return r;
    }

    private static Map<String, Object> referenceMap(S3Reference ref) {
        return new LinkedHashMap<>(AttributeValues.toObjectMap(ref.toAttribute().m()));
    }

    /** Bytes of the Lambda response carrying {@code body}: the body is a JSON string inside the envelope. */
    static long responseBytes(Map<String, Object> body) {
        return Json.bytes(Json.string(body)).length + ENVELOPE_BYTES;
    }
}
