package dev.chunkflow.local.asl;

public enum ExecutionStatus {
    SUCCEEDED, FAILED
}
