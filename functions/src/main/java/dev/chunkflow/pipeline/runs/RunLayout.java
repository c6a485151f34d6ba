package dev.chunkflow.pipeline.runs;

/** Where a job's objects live in the data bucket (the S3 layout every handler shares). */
public final class RunLayout {
    private RunLayout() {
    }

    /** Where the job store offloads job records' large attributes (one folder per job). */
    public static final String JOBS_PREFIX = "jobs/";

    /** Where a data set's objects go ({@code input/{dataset}/}); GetChunks may list and read only under {@code input/}. */
    public static String inputPrefix(String dataset) {
        return "input/" + dataset + "/";
    }

    /** Where the job store offloads a job record's large attributes. */
    public static String jobPrefix(String jobId) {
        return JOBS_PREFIX + jobId + "/";
    }

    /**
     * One offloaded attribute of one item version: {@code jobs/{job_id}/{attribute}/v{version}-{nonce}.json}.
     * The nonce makes every write's key fresh, so racing writers of one version never share an object.
     */
    public static String jobObjectKey(String jobId, String attribute, long version, String nonce) {
        return jobPrefix(jobId) + attribute + "/v" + version + "-" + nonce + ".json";
    }

    /** The job id of a key under {@code jobs/} ({@code jobs/{job_id}/...}), or null for any other key. */
    public static String jobIdOfJobKey(String key) {
        if (!key.startsWith(JOBS_PREFIX)) {
            return null;
        }
        int slash = key.indexOf('/', JOBS_PREFIX.length());
        return slash <= JOBS_PREFIX.length() ? null : key.substring(JOBS_PREFIX.length(), slash);
    }

    /** A job's run-time objects (plan, chunk results, Distributed Map results). */
    public static String runPrefix(String jobId) {
        return "runs/" + jobId + "/";
    }

    public static String chunksPrefix(String jobId) {
        return runPrefix(jobId) + "chunks/";
    }

    public static String keysKey(String jobId, int chunkId) {
        return chunksPrefix(jobId) + pad(chunkId) + ".keys.json.gz";
    }

    public static String dataKey(String jobId, int chunkId) {
        return chunksPrefix(jobId) + pad(chunkId) + ".data";
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
        return runPrefix(jobId) + "results/";
    }

    public static String resultKey(String jobId, int chunkId) {
        return resultsPrefix(jobId) + chunkId + ".json";
    }

    public static String outputPrefix(String jobId) {
        return "output/" + jobId + "/";
    }

    /** Where every chunk's objects of one output part go: {@code output/{job_id}/{part}/}. */
    public static String partPrefix(String jobId, String part) {
        return outputPrefix(jobId) + part + "/";
    }

    /** {@code output/{job_id}/{part}/part-NNNNN.jsonl.gz}, for any part name of any workload. */
    public static String partKey(String jobId, String part, int chunkId) {
        return partPrefix(jobId, part) + "part-" + pad(chunkId) + ".jsonl.gz";
    }

    /**
     * Whether {@code key} is one of the job's part objects ({@code output/{job_id}/{part}/part-*.jsonl.gz}), not its
     * summary, report or {@code _SUCCESS}.
     */
    public static boolean isPartKey(String jobId, String key) {
        String prefix = outputPrefix(jobId);
        if (!key.startsWith(prefix)) {
            return false;
        }
        String rel = key.substring(prefix.length());
        int slash = rel.indexOf('/');
        return slash > 0 && rel.startsWith("part-", slash + 1) && rel.endsWith(".jsonl.gz");
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
