package dev.chunkflow.local.cli;

import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.local.lambda.FunctionError;
import dev.chunkflow.local.run.ExpiredItems;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.LocalServices;
import dev.chunkflow.pipeline.runs.RunLayout;
import dev.chunkflow.settings.Settings;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code chunkflow gc}: the orphan collector over the state dir's jobs/, through OrphanCollectorFunction
 * and its role (as the schedule runs it on AWS), after expiring the job items whose TTL has passed (what
 * DynamoDB does on AWS and DynamoDB Local does not).
 */
@Command(name = "gc", mixinStandardHelpOptions = true,
        description = {"Delete offloaded job objects (jobs/) that no live job item points to and that are older than",
                "the grace period; first delete the job items whose expires_at has passed (DynamoDB's TTL, emulated)."})
public final class GcCommand implements Callable<Integer> {
    static final String FUNCTION = "OrphanCollectorFunction";

    @ParentCommand
    ChunkflowCli parent;

    @Spec
    CommandSpec spec;

    @Option(names = "--dry-run", description = "Print what would be deleted; delete nothing.")
    boolean dryRun;

    @Option(names = "--grace", paramLabel = "DURATION", defaultValue = "1h",
            description = "Keep unreferenced objects younger than this: 90s, 15m, 1h, 2d or ISO-8601 (default: ${DEFAULT-VALUE}).")
    String grace;

    @Option(names = "--job", paramLabel = "JOB_ID", description = "Only this job's objects.")
    String jobId;

    @Override
    public Integer call() throws Exception {
        Duration graceDuration = parseDuration(grace);
        if (graceDuration.toSeconds() > Settings.ORPHAN_GRACE_SECONDS.max()) {
            throw new CliError("--grace: at most " + Duration.ofSeconds(Settings.ORPHAN_GRACE_SECONDS.max()).toDays() + " days");
        }
        Log.redirect(System.err);
        PrintWriter out = spec.commandLine().getOut();
        try (LocalApp app = LocalApp.start(RepoRoot.find(), parent.stateDir(), Map.of(), Map.of(), parent.s3Port(),
                parent.dynamoDbPort(), null)) {
            List<String> expired = ExpiredItems.sweep(app.aws().dynamoDb(), app.table(), Instant.now(), dryRun);
            for (String id : expired) {
                out.println((dryRun ? "would expire job " : "expired job ") + id);
            }
            String verb = dryRun ? "would delete " : "deleted ";
            int listed = 0;
            int referenced = 0;
            int young = 0;
            int skipped = 0;
            int deleted = 0;
            int invocations = 0;
            String startAfter = jobId == null ? RunLayout.JOBS_PREFIX : null;
            while (true) {
                ObjectNode event = Json.MAPPER.createObjectNode();
                event.put("dry_run", dryRun).put("grace_seconds", graceDuration.toSeconds());
                if (jobId != null) {
                    event.put("job_id", jobId);
                }
                if (startAfter != null) {
                    event.put("start_after", startAfter);
                }
                JsonNode report = Json.readTree(app.invoke(FUNCTION, Json.bytes(event)));
                invocations++;
                for (JsonNode key : report.path(dryRun ? "would_delete" : "deleted")) {
                    out.println(verb + key.asText());
                    deleted++;
                }
                listed += report.path("listed").asInt();
                referenced += report.path("referenced").asInt();
                young += report.path("young").asInt();
                skipped += report.path("skipped_count").asInt();
                if (report.path("complete").asBoolean() || report.path("next_start_after").isNull()) {
                    break;
                }
                startAfter = report.path("next_start_after").asText();
            }
            out.printf(Locale.ROOT, "%s: %d expired job item(s); %d object(s) listed under jobs/: %d referenced, %d younger than %s,"
                            + " %d not the job store's, %d %s (%d run(s) of %s)%n",
                    dryRun ? "dry run" : "gc", expired.size(), listed, referenced, young, grace, skipped, deleted,
                    dryRun ? "would be deleted" : "deleted", invocations, FUNCTION);
            out.flush();
            return 0;
        } catch (FunctionError e) {
            throw new CliError(FUNCTION + " failed: " + e.errorType() + ": " + e.causeJson());
        } catch (LocalServices.LocalSetupException e) {
            throw new CliError(e.getMessage());
        }
    }

    /** 90s, 15m, 1h, 2d, or ISO-8601 (PT1H). */
    static Duration parseDuration(String text) {
        String t = text.trim().toLowerCase(Locale.ROOT);
        try {
            if (t.matches("\\d+[smhd]")) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                return switch (t.charAt(t.length() - 1)) {
                    case 's' -> Duration.ofSeconds(n);
                    case 'm' -> Duration.ofMinutes(n);
                    case 'h' -> Duration.ofHours(n);
                    default -> Duration.ofDays(n);
                };
            }
            Duration d = Duration.parse(text.trim().toUpperCase(Locale.ROOT));
            if (d.isNegative()) {
                throw new CliError("--grace: must not be negative, got " + text);
            }
            return d;
        } catch (DateTimeParseException | NumberFormatException e) {
            throw new CliError("--grace: a duration such as 90s, 15m, 1h, 2d or PT1H, got '" + text + "'");
        }
    }
}
