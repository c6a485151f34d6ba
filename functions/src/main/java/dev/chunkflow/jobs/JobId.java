package dev.chunkflow.jobs;

import java.util.regex.Pattern;

import dev.chunkflow.common.InvalidInput;

/** Job ids go into S3 keys and table keys, so they are checked before any use. */
public final class JobId {
    public static final String RULE = "[A-Za-z0-9_-]{1,80}";
    private static final Pattern PATTERN = Pattern.compile(RULE);

    private JobId() {
    }

    public static boolean isValid(String jobId) {
        return jobId != null && PATTERN.matcher(jobId).matches();
    }

    /** Returns the id, or throws {@link InvalidInput} naming {@code job_id}. */
    public static String require(String jobId) {
        if (jobId == null) {
            throw new InvalidInput("job_id", "is required");
        }
        if (!isValid(jobId)) {
            throw new InvalidInput("job_id", "must match " + RULE);
        }
        return jobId;
    }
}
