package dev.chunkflow.chunks;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import dev.chunkflow.io.DeterministicGzipOutputStream;

/**
 * Scratch partitions private to one GetChunks invocation: during the single pass over the source every
 * row is appended to the partition of its key's hash, and each partition is later read back alone.
 * On disk ({@code /tmp} on Lambda, fast-compressed) memory holds one partition at a time; in memory
 * (uncompressed, for sources that fit comfortably in the heap) the deflate/inflate round trip is saved.
 * Nothing here is handed to another function: chunk data goes to S3.
 */
final class SpillPartitions implements AutoCloseable {
    private final Path dir;
    private final Writer[] writers;
    private final long[] bytes;
    private final Buffer[] buffers;

    /** Partitions as fast-compressed files in a new temporary directory under {@code parent}. */
    static SpillPartitions onDisk(Path parent, int partitions) {
        return new SpillPartitions(parent, partitions);
    }

    /** Partitions as uncompressed UTF-8 in the heap. */
    static SpillPartitions inMemory(int partitions) {
        return new SpillPartitions(partitions);
    }

    private SpillPartitions(int partitions) {
        this.dir = null;
        this.writers = new Writer[partitions];
        this.bytes = new long[partitions];
        this.buffers = new Buffer[partitions];
        for (int p = 0; p < partitions; p++) {
            buffers[p] = new Buffer();
            writers[p] = new BufferedWriter(new OutputStreamWriter(buffers[p], StandardCharsets.UTF_8), 32 * 1024);
        }
    }

    private SpillPartitions(Path parent, int partitions) {
        this.buffers = null;
        try {
            Files.createDirectories(parent);
            this.dir = Files.createTempDirectory(parent, "chunkflow-spill-");
            this.writers = new Writer[partitions];
            this.bytes = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                writers[p] = new BufferedWriter(new OutputStreamWriter(new DeterministicGzipOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(file(p)), 64 * 1024), Deflater.BEST_SPEED),
                        StandardCharsets.UTF_8), 32 * 1024);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spill files under " + parent, e);
        }
    }

    private Path file(int p) {
        return dir.resolve("p" + p + ".csv.gz");
    }

    int partitions() {
        return writers.length;
    }

    /** Appends {@code sourceIndex,lineNumber,line}. */
    void append(int partition, int sourceIndex, long lineNumber, String line) {
        try {
            Writer w = writers[partition];
            w.write(Integer.toString(sourceIndex));
            w.write(',');
            w.write(Long.toString(lineNumber));
            w.write(',');
            w.write(line);
            w.write('\n');
            bytes[partition] += line.length() + 16;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write spill file (local disk full?)", e);
        }
    }

    /** Approximate uncompressed size of a partition, to size buffers. */
    long approximateBytes(int partition) {
        return bytes[partition];
    }

    void finishWriting() {
        for (Writer w : writers) {
            try {
                w.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot finish spill file (local disk full?)", e);
            }
        }
    }

    boolean inMemory() {
        return buffers != null;
    }

    BufferedReader read(int partition) {
        if (buffers != null) {
            Buffer b = buffers[partition];
            return new BufferedReader(new InputStreamReader(b.asInput(), StandardCharsets.UTF_8), 64 * 1024);
        }
        try {
            return new BufferedReader(new InputStreamReader(
                    new GZIPInputStream(Files.newInputStream(file(partition)), 64 * 1024), StandardCharsets.UTF_8), 64 * 1024);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spill file " + partition, e);
        }
    }

    void delete(int partition) {
        if (buffers != null) {
            buffers[partition] = null;
            return;
        }
        try {
            Files.deleteIfExists(file(partition));
        } catch (IOException ignored) {
            // removed with the directory at close
        }
    }

    @Override
    public void close() {
        for (Writer w : writers) {
            try {
                w.close();
            } catch (IOException ignored) {
                // best effort
            }
        }
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        } catch (IOException ignored) {
            // scratch space; the execution environment's /tmp is private to it
        }
    }

    /** A byte buffer read back in place (no copy of the partition). */
    private static final class Buffer extends java.io.ByteArrayOutputStream {
        Buffer() {
            super(64 * 1024);
        }

        java.io.InputStream asInput() {
            return new java.io.ByteArrayInputStream(buf, 0, count);
        }
    }
}
