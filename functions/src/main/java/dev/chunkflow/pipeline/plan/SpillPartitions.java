package dev.chunkflow.pipeline.plan;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import java.util.zip.Deflater;
import java.util.zip.GZIPInputStream;

import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.workload.KeyEncoder;

/**
 * Scratch partitions private to one GetChunks invocation: during the single pass over the source every
 * record is appended to the partition of its key's hash, and each partition is later read back alone.
 * A scratch record is binary: source index, line, flags, the key's code in the {@link KeyIndex} and the
 * payload, so the second pass finds a record's chunk without parsing it again.
 * On disk ({@code /tmp} on Lambda, fast-compressed) memory holds one partition at a time; in memory
 * (uncompressed, for sources that fit comfortably in the heap) the deflate/inflate round trip is saved.
 * Nothing here is handed to another function: chunk data goes to S3.
 */
final class SpillPartitions implements AutoCloseable {
    private final Path dir;
    private final DataOutputStream[] writers;
    private final long[] bytes;
    private final Buffer[] buffers;

    /** Flag bit of a record that carries its key's parts ({@link #appendKeyed}); never set in a chunk's flags. */
    static final int KEYED = 0x40;

    static SpillPartitions onDisk(Path parent, int partitions) {
        return new SpillPartitions(parent, partitions);
    }

    static SpillPartitions inMemory(int partitions) {
        return new SpillPartitions(partitions);
    }

    private SpillPartitions(int partitions) {
        this.dir = null;
        this.writers = new DataOutputStream[partitions];
        this.bytes = new long[partitions];
        this.buffers = new Buffer[partitions];
        for (int p = 0; p < partitions; p++) {
            buffers[p] = new Buffer();
            writers[p] = new DataOutputStream(new BufferedOutputStream(buffers[p], 32 * 1024));
        }
    }

    private SpillPartitions(Path parent, int partitions) {
        this.buffers = null;
        try {
            Files.createDirectories(parent);
            this.dir = Files.createTempDirectory(parent, "chunkflow-spill-");
            this.writers = new DataOutputStream[partitions];
            this.bytes = new long[partitions];
            for (int p = 0; p < partitions; p++) {
                writers[p] = new DataOutputStream(new BufferedOutputStream(new DeterministicGzipOutputStream(
                        new BufferedOutputStream(Files.newOutputStream(file(p)), 64 * 1024), Deflater.BEST_SPEED), 32 * 1024));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create spill files under " + parent, e);
        }
    }

    private Path file(int p) {
        return dir.resolve("p" + p + ".bin.gz");
    }

    /** A finished on-disk partition's gzip bytes as written (a fan-out split worker uploads them as they are). */
    byte[] compressedBytes(int p) {
        if (dir == null) {
            throw new IllegalStateException("in-memory scratch partitions are not compressed");
        }
        try {
            return Files.readAllBytes(file(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read spill file " + p, e);
        }
    }

    /** Reads a partition in this format from any stream of its gzip bytes (a fan-out shuffle object). */
    static Reader reader(InputStream gzipped) throws IOException {
        return new Reader(new DataInputStream(new BufferedInputStream(new GZIPInputStream(gzipped, 64 * 1024), 64 * 1024)));
    }

    int partitions() {
        return writers.length;
    }

    /** One record; {@code code} is the key's code from {@link KeyIndex#add}. */
    void append(int partition, int sourceIndex, long line, int flags, long code, byte[] payload, int length) {
        try {
            DataOutputStream w = writers[partition];
            w.writeInt(sourceIndex);
            w.writeLong(line);
            w.writeByte(flags);
            w.writeLong(code);
            w.writeInt(length);
            w.write(payload, 0, length);
            bytes[partition] += length + 25;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write spill file (local disk full?)", e);
        }
    }

    /**
     * A record whose key has no code outside this invocation (a general key's id is local to a key index):
     * the key's parts travel with it ({@link #KEYED}); a fan-out split worker writes these to the shuffle.
     */
    void appendKeyed(int partition, int sourceIndex, long line, int flags, String[] key, byte[] payload, int length) {
        try {
            DataOutputStream w = writers[partition];
            w.writeInt(sourceIndex);
            w.writeLong(line);
            w.writeByte(flags | KEYED);
            w.writeLong(KeyEncoder.NONE);
            w.writeByte(key.length);
            for (String part : key) {
                byte[] b = part.getBytes(java.nio.charset.StandardCharsets.UTF_8);
                w.writeInt(b.length);
                w.write(b);
            }
            w.writeInt(length);
            w.write(payload, 0, length);
            bytes[partition] += length + 26;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write spill file (local disk full?)", e);
        }
    }

    long approximateBytes(int partition) {
        return bytes[partition];
    }

    void finishWriting() {
        for (DataOutputStream w : writers) {
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

    Reader read(int partition) {
        try {
            InputStream in = buffers != null ? buffers[partition].asInput()
                    : new GZIPInputStream(Files.newInputStream(file(partition)), 64 * 1024);
            return new Reader(new DataInputStream(new BufferedInputStream(in, 64 * 1024)));
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
        for (DataOutputStream w : writers) {
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

    /** Reads a partition back record by record; the fields are those of the current record. */
    static final class Reader implements AutoCloseable {
        private final DataInputStream in;
        int sourceIndex;
        long line;
        int flags;
        long code;
        /** The key's parts of a {@link #KEYED} record (else null). */
        String[] key;
        byte[] payload = new byte[1024];
        int length;

        Reader(DataInputStream in) {
            this.in = in;
        }

        boolean next() throws IOException {
            try {
                sourceIndex = in.readInt();
            } catch (EOFException end) {
                return false;
            }
            line = in.readLong();
            flags = in.readByte();
            code = in.readLong();
            key = null;
            if ((flags & KEYED) != 0) {
                flags &= ~KEYED;
                key = new String[in.readByte()];
                for (int i = 0; i < key.length; i++) {
                    byte[] b = new byte[in.readInt()];
                    in.readFully(b);
                    key[i] = new String(b, java.nio.charset.StandardCharsets.UTF_8);
                }
            }
            length = in.readInt();
            if (payload.length < length) {
                payload = new byte[Math.max(length, payload.length * 2)];
            }
            in.readFully(payload, 0, length);
            return true;
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** A byte buffer read back in place (no copy of the partition). */
    private static final class Buffer extends ByteArrayOutputStream {
        Buffer() {
            super(64 * 1024);
        }

        InputStream asInput() {
            return new ByteArrayInputStream(buf, 0, count);
        }
    }
}
