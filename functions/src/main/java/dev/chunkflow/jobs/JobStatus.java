package dev.chunkflow.jobs;

import java.util.Arrays;

import dev.chunkflow.common.InvalidInput;

/** The lifecycle of a job. */
public enum JobStatus {
    QUEUED, RUNNING, SUCCEEDED, FAILED;

    public static JobStatus parse(String field, String value) {
        for (JobStatus s : values()) {
            if (s.name().equals(value)) {
                return s;
            }
        }
        throw new InvalidInput(field, "must be one of " + Arrays.toString(values()) + ", got '" + value + "'");
    }
}
