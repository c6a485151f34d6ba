package dev.chunkflow.local.run;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.interceptor.SdkExecutionAttribute;

/**
 * Counts the AWS API requests the functions make, per {@code Service.Operation}, one per HTTP attempt
 * (retries included, as AWS bills them). The local runner reports them so a run's S3 and DynamoDB
 * request bill can be read off a laptop run.
 */
public final class AwsRequestCounter implements ExecutionInterceptor {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String service = attributes.getAttribute(SdkExecutionAttribute.SERVICE_NAME);
        String operation = attributes.getAttribute(SdkExecutionAttribute.OPERATION_NAME);
        counts.computeIfAbsent(service + "." + operation, k -> new LongAdder()).increment();
    }

    /** Adds requests counted elsewhere (in a function's own JVM under process isolation). */
    public void add(String serviceOperation, long n) {
        counts.computeIfAbsent(serviceOperation, k -> new LongAdder()).add(n);
    }

    /** {@code Service.Operation -> requests}, sorted by name. */
    public Map<String, Long> snapshot() {
        Map<String, Long> out = new TreeMap<>();
        counts.forEach((k, v) -> out.put(k, v.sum()));
        return out;
    }
}
