package dev.chunkflow.jobs;

import java.util.UUID;

import dev.chunkflow.offload.S3Reference;
import dev.chunkflow.pipeline.runs.RunLayout;

/** The keys the job store writes under {@code jobs/}, and which references it follows. */
final class OffloadKeys {
    private OffloadKeys() {
    }

    /** A fresh key per write: racing writers of the same version never share (or delete) an object. */
    static String key(String jobId, String attribute, long version) {
        String nonce = UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        return RunLayout.jobObjectKey(jobId, attribute, version, nonce);
    }

    /** Whether {@code ref} points into {@code bucket} under the job's own prefix (the only references followed). */
    static boolean isOwn(String bucket, String jobId, S3Reference ref) {
        return bucket.equals(ref.bucket()) && ref.key().startsWith(RunLayout.jobPrefix(jobId));
    }
}
