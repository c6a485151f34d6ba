package dev.chunkflow.pipeline.process;

/**
 * A chunk's objects disagree with its plan (rows read differ from the key set's counts, a row's key is
 * not in the key set, an object is missing). The class name is the Step Functions error name. The
 * message carries counts and keys of objects, never row data.
 */
public class ChunkMismatch extends RuntimeException {
    public ChunkMismatch(String message) {
        super(message);
    }
}
