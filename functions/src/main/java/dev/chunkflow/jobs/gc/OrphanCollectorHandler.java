package dev.chunkflow.jobs.gc;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.aws.Env;
import dev.chunkflow.common.Inputs;
import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.common.Json;
import dev.chunkflow.jobs.JobId;
import dev.chunkflow.offload.JsonValues;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.settings.Settings;

/**
 * The scheduled orphan collector: an EventBridge Scheduled Event (any fields, all ignored) runs
 * {@link OrphanCollector} with the settings' grace, bounds and dry-run mode. A manual invocation may
 * override them: {@code {"dry_run": true, "grace_seconds": 600, "start_after": "jobs/...", "job_id": "..."}}.
 * Returns the {@link GcReport} as JSON.
 *
 * <p>Without {@code start_after}, a run starts at a random point of jobs/ and wraps around: when jobs/
 * holds more keys than one run may list, successive runs still cover all of it, with no cursor to store
 * (the role may not write anything but deletes).
 */
public final class OrphanCollectorHandler implements RequestStreamHandler {
    private static final String JOB_ID_CHARS = "-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz";

    private final OrphanCollector collector;
    private final Clock clock;
    private final Duration grace;
    private final int maxListed;
    private final int maxDeleted;
    private final boolean dryRun;

    /** Lambda entry point: clients built once per execution environment. */
    public OrphanCollectorHandler() {
        this(DefaultClients.INSTANCE, Clock.systemUTC());
    }

    public OrphanCollectorHandler(AwsClients clients) {
        this(clients, Clock.systemUTC());
    }

    public OrphanCollectorHandler(AwsClients clients, Clock clock) {
        Env env = clients.env();
        this.collector = OrphanCollector.fromEnv(clients);
        this.clock = clock;
        this.grace = Duration.ofSeconds(Settings.ORPHAN_GRACE_SECONDS.read(env));
        this.maxListed = (int) Settings.ORPHAN_MAX_LISTED.read(env);
        this.maxDeleted = (int) Settings.ORPHAN_MAX_DELETED.read(env);
        this.dryRun = Settings.ORPHAN_DRY_RUN.read(env) == 1;
    }

    @Override
    public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
        JsonNode event = Inputs.requireObject(JsonValues.readInput(input), "$");
        boolean dry = dryRun;
        if (event.has("dry_run")) {
            if (!event.get("dry_run").isBoolean()) {
                throw new InvalidInput("dry_run", "must be true or false");
            }
            dry = event.get("dry_run").booleanValue();
        }
        long seconds = Inputs.optionalLong(event, "grace_seconds", "grace_seconds", 0, Settings.ORPHAN_GRACE_SECONDS.max(),
                grace.toSeconds());
        GcRequest request = new GcRequest(clock.instant(), Duration.ofSeconds(seconds), dry, maxListed, maxDeleted, null, null, "");
        String jobId = Inputs.optionalText(event, "job_id", "job_id");
        if (jobId != null) {
            request = request.forJob(JobId.require(jobId));
        }
        String startAfter = Inputs.optionalText(event, "start_after", "start_after");
        if (startAfter != null && !startAfter.startsWith(RunLayout.JOBS_PREFIX + request.jobIdPrefix())) {
            throw new InvalidInput("start_after", "must be a key under " + RunLayout.JOBS_PREFIX + request.jobIdPrefix()
                    + " (a previous report's next_start_after)");
        }
        GcReport report = startAfter != null || jobId != null
                ? collector.collect(request.withStartAfter(startAfter))
                : aroundFromRandomPoint(request);
        output.write(Json.bytes(report.toJson()));
    }

    private GcReport aroundFromRandomPoint(GcRequest request) {
        String start = RunLayout.JOBS_PREFIX + JOB_ID_CHARS.charAt(ThreadLocalRandom.current().nextInt(JOB_ID_CHARS.length()));
        GcReport first = collector.collect(request.withStartAfter(start));
        int listedLeft = request.maxListed() - first.listed();
        int deletesLeft = request.maxDeleted() - first.deleted().size();
        if (!first.complete() || listedLeft < 1) {
            return first;
        }
        return first.plus(collector.collect(request.withStartAfter(null).withEndAt(start).withBounds(listedLeft, deletesLeft)));
    }

    private static final class DefaultClients {
        static final AwsClients INSTANCE = new AwsClients(Env.system());
    }
}
