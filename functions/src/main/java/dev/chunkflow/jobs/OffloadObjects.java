package dev.chunkflow.jobs;

import java.util.Collection;
import java.util.Optional;

import dev.chunkflow.offload.JsonObjects;

/** Where the job store puts offloaded values: the data bucket, or nowhere (a dry run of the planner). */
interface OffloadObjects {
    String bucket();

    JsonObjects.Stored put(String key, byte[] json);

    Optional<byte[]> get(String key);

    void deleteQuietly(Collection<String> keys);

    static OffloadObjects of(JsonObjects objects) {
        return new OffloadObjects() {
            @Override
            public String bucket() {
                return objects.bucket();
            }

            @Override
            public JsonObjects.Stored put(String key, byte[] json) {
                return objects.put(key, json);
            }

            @Override
            public Optional<byte[]> get(String key) {
                return objects.get(key);
            }

            @Override
            public void deleteQuietly(Collection<String> keys) {
                objects.deleteQuietly(keys);
            }
        };
    }

    /** Writes nothing; what a write would store is measured as if it had been (a bucket name of the longest kind). */
    static OffloadObjects dryRun() {
        return new OffloadObjects() {
            @Override
            public String bucket() {
                return "b".repeat(63);
            }

            @Override
            public JsonObjects.Stored put(String key, byte[] json) {
                return new JsonObjects.Stored(key, json.length, JsonObjects.sha256(json));
            }

            @Override
            public Optional<byte[]> get(String key) {
                return Optional.empty();
            }

            @Override
            public void deleteQuietly(Collection<String> keys) {
            }
        };
    }
}
