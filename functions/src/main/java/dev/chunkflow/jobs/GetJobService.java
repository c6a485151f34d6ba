package dev.chunkflow.jobs;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.settings.Settings;

/**
 * GetJob's work: the job as JSON ({@link JobView}), with offloaded steps inlined only within the response
 * budget. Empty when the job does not exist. {@code jobId} must already be valid ({@link JobId#require}).
 */
public final class GetJobService {
    private final JobStore store;
    private final JobView view;

    public GetJobService(JobStore store, Duration presignedUrlTtl, long responseBudgetBytes) {
        this.store = store;
        this.view = new JobView(store, presignedUrlTtl, responseBudgetBytes);
    }

    /** As deployed: the store and URL lifetime from the environment, the budget under Lambda's response limit. */
    public static GetJobService fromEnv(AwsClients clients) {
        return new GetJobService(JobStore.fromEnv(clients),
                Duration.ofSeconds(Settings.PRESIGNED_URL_TTL_SECONDS.read(clients.env())), JobView.RESPONSE_BUDGET_BYTES);
    }

    /** The rendered job and the item version it came from. */
    public record Found(Map<String, Object> body, long version, String stepsLocation) {
    }

    public Optional<Found> get(String jobId, boolean includeSteps) {
        return store.get(jobId).map(item -> new Found(view.render(item, includeSteps), item.version(), item.stepsLocation()));
    }
}
