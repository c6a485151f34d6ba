package dev.chunkflow.local.serve;

import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sfn.SfnClient;
import software.amazon.awssdk.services.sfn.model.ExecutionAlreadyExistsException;

/**
 * Load through the edge port, as clients would bring it: concurrent POST /jobs with repeated job ids
 * (retrying 429 with backoff), many GET /jobs/{id} while a job runs, concurrent StartExecution with
 * repeated names. Used by ServeLoadTest and the bench's serve_load section.
 */
public final class ServeLoad {
    private ServeLoad() {
    }

    /**
     * @param arnsByJob     the distinct execution ARNs the final answers named, per job id
     * @param finalStatuses each request's final status code (after retries) and how many ended so
     */
    public record Posts(int requests, int throttled, int serverErrors, Map<String, Set<String>> arnsByJob,
                        Map<Integer, Integer> finalStatuses, long wallMs, List<String> serverErrorBodies) {
    }

    public record Gets(int requests, int non2xx, int withOffloadedSteps, double p50Ms, double p99Ms, double maxMs, long wallMs,
                       int transportRetries) {
    }

    public record Starts(int requests, int started, int alreadyExists, int otherErrors, Map<String, Set<String>> arnsByName) {
    }

    private static SignedHttp client() {
        return new SignedHttp(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY);
    }

    /** {@code perJob} concurrent POST /jobs for each of {@code jobIds}, all released at once. */
    public static Posts posts(ServeStack stack, List<String> jobIds, int perJob, String sourcePrefix) throws Exception {
        SignedHttp http = client();
        int n = jobIds.size() * perJob;
        List<String> order = new ArrayList<>();
        for (int i = 0; i < perJob; i++) {
            order.addAll(jobIds);
        }
        Collections.shuffle(order, new java.util.Random(7));
        ExecutorService pool = Executors.newFixedThreadPool(n);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger throttled = new AtomicInteger();
        AtomicInteger serverErrors = new AtomicInteger();
        Map<String, Set<String>> arns = new ConcurrentHashMap<>();
        Map<Integer, Integer> finals = new ConcurrentHashMap<>();
        List<String> errorBodies = Collections.synchronizedList(new ArrayList<>());
        URI uri = URI.create(stack.endpoint() + "/jobs");
        List<Future<?>> all = new ArrayList<>();
        long t0 = System.nanoTime();
        try {
            for (String jobId : order) {
                String body = "{\"job_id\": \"" + jobId + "\", \"source\": {\"prefix\": \"" + sourcePrefix + "\"}}";
                all.add(pool.submit(() -> {
                    go.await();
                    long backoff = 50;
                    for (int attempt = 0; ; attempt++) {
                        HttpResponse<String> r = http.send("POST", uri, body);
                        if (r.statusCode() >= 500) {
                            serverErrors.incrementAndGet();
                            errorBodies.add(r.statusCode() + " " + r.body());
                        }
                        if (r.statusCode() == 429 && attempt < 40) {
                            throttled.incrementAndGet();
                            Thread.sleep(backoff + ThreadLocalRandom.current().nextLong(backoff));
                            backoff = Math.min(1000, backoff * 2);
                            continue;
                        }
                        finals.merge(r.statusCode(), 1, Integer::sum);
                        if (r.statusCode() == 202) {
                            JsonNode b = Json.readTree(r.body().getBytes(StandardCharsets.UTF_8));
                            arns.computeIfAbsent(b.path("job_id").asText(), k -> ConcurrentHashMap.newKeySet())
                                    .add(b.path("execution_arn").asText());
                        }
                        return null;
                    }
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Posts(n, throttled.get(), serverErrors.get(), arns, finals, (System.nanoTime() - t0) / 1_000_000, errorBodies);
    }

    /** {@code total} GET /jobs/{id}?include=execution_steps over {@code threads} client threads; latency per request. */
    public static Gets gets(ServeStack stack, String jobId, int total, int threads) throws Exception {
        SignedHttp http = client();
        URI uri = URI.create(stack.endpoint() + "/jobs/" + jobId + "?include=execution_steps");
        long[] latencies = new long[total];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger non2xx = new AtomicInteger();
        AtomicInteger offloaded = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        long t0 = System.nanoTime();
        try {
            List<Future<?>> all = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                all.add(pool.submit(() -> {
                    int i;
                    while ((i = next.getAndIncrement()) < total) {
                        long s = System.nanoTime();
                        HttpResponse<String> r = http.send("GET", uri, null);
                        latencies[i] = System.nanoTime() - s;
                        if (r.statusCode() / 100 != 2) {
                            non2xx.incrementAndGet();
                        } else if (r.body().contains("\"execution_steps_s3_url\"")) {
                            offloaded.incrementAndGet();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        long wall = (System.nanoTime() - t0) / 1_000_000;
        long[] sorted = latencies.clone();
        java.util.Arrays.sort(sorted);
        return new Gets(total, non2xx.get(), offloaded.get(), percentile(sorted, 50), percentile(sorted, 99),
                sorted[sorted.length - 1] / 1e6, wall, http.transportRetries());
    }

    private static double percentile(long[] sorted, int p) {
        int idx = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
        return sorted[Math.max(0, idx)] / 1e6;
    }

    /** {@code total} concurrent StartExecution calls (the Java SDK's SfnClient) spread over {@code names} names. */
    public static Starts starts(ServeStack stack, int total, int names, String namePrefix, String input) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(total);
        CountDownLatch go = new CountDownLatch(1);
        AtomicInteger started = new AtomicInteger();
        AtomicInteger exists = new AtomicInteger();
        AtomicInteger other = new AtomicInteger();
        Map<String, Set<String>> arns = new ConcurrentHashMap<>();
        try (SfnClient sfn = SfnClient.builder().endpointOverride(stack.endpoint()).region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ServeStack.ACCESS_KEY, ServeStack.SECRET_KEY)))
                .httpClientBuilder(software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient.builder())
                .build()) {
            List<Future<?>> all = new ArrayList<>();
            for (int i = 0; i < total; i++) {
                String name = namePrefix + (i % names);
                all.add(pool.submit(() -> {
                    go.await();
                    try {
                        String arn = sfn.startExecution(b -> b.stateMachineArn(stack.executions().stateMachineArn()).name(name)
                                .input(input)).executionArn();
                        started.incrementAndGet();
                        arns.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(arn);
                    } catch (ExecutionAlreadyExistsException e) {
                        exists.incrementAndGet();
                    } catch (RuntimeException e) {
                        other.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : all) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return new Starts(total, started.get(), exists.get(), other.get(), arns);
    }
}
