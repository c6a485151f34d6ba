package dev.chunkflow.runs;

import java.util.regex.Pattern;

import dev.chunkflow.common.InvalidInput;

/** Where a job's objects live in the data bucket (the S3 layout every handler shares). */
public final class RunLayout {
    /** Job ids double as Step Functions execution names: 1-80 of [A-Za-z0-9_-]. */
    public static final Pattern JOB_ID = Pattern.compile("[A-Za-z0-9_-]{1,80}");

    private RunLayout() {
    }

    public static String requireJobId(String jobId) {
        if (jobId == null) {
            throw new InvalidInput("job_id", "required");
        }
        if (!JOB_ID.matcher(jobId).matches()) {
            throw new InvalidInput("job_id", "must match [A-Za-z0-9_-]{1,80}");
        }
        return jobId;
    }

    public static String chunksPrefix(String jobId) {
        return "runs/" + jobId + "/chunks/";
    }

    public static String keysKey(String jobId, int chunkId) {
        return chunksPrefix(jobId) + pad(chunkId) + ".keys.json.gz";
    }

    public static String dataKey(String jobId, int chunkId) {
        return chunksPrefix(jobId) + pad(chunkId) + ".data.csv";
    }

    public static String manifestKey(String jobId) {
        return chunksPrefix(jobId) + "manifest.json";
    }

    public static String idsKey(String jobId) {
        return chunksPrefix(jobId) + "ids.json";
    }

    /** The ids of the chunks a Distributed Map pass left unprocessed (the next pass's ItemReader). */
    public static String unprocessedIdsKey(String jobId, int pass) {
        return chunksPrefix(jobId) + "unprocessed-" + pass + ".json";
    }

    public static String resultsPrefix(String jobId) {
        return "runs/" + jobId + "/results/";
    }

    public static String resultKey(String jobId, int chunkId) {
        return resultsPrefix(jobId) + chunkId + ".json";
    }

    public static String outputPrefix(String jobId) {
        return "output/" + jobId + "/";
    }

    public static String visitsKey(String jobId, int chunkId) {
        return outputPrefix(jobId) + "visits/part-" + pad(chunkId) + ".jsonl.gz";
    }

    public static String dailyKey(String jobId, int chunkId) {
        return outputPrefix(jobId) + "daily/part-" + pad(chunkId) + ".jsonl.gz";
    }

    public static String rejectsKey(String jobId, int chunkId) {
        return outputPrefix(jobId) + "rejects/part-" + pad(chunkId) + ".jsonl.gz";
    }

    public static String summaryKey(String jobId) {
        return outputPrefix(jobId) + "summary.json";
    }

    public static String reportKey(String jobId) {
        return outputPrefix(jobId) + "report.html";
    }

    public static String successKey(String jobId) {
        return outputPrefix(jobId) + "_SUCCESS";
    }

    /** {@code chunk_id:05d}: at least five digits, more when needed (100000 stays 100000). */
    public static String pad(int chunkId) {
        String s = Integer.toString(chunkId);
        return s.length() >= 5 ? s : "00000".substring(s.length()) + s;
    }
}
