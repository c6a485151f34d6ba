package dev.chunkflow.local.run;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import dev.chunkflow.testkit.EmbeddedAws;

/**
 * The embedded AWS of the local runner: the S3 API server (filesystem-backed) and DynamoDB Local
 * (file-backed) under one state directory, with the bucket and jobs table created as template.yaml
 * declares them. One process at a time owns a state directory (a lock file says so).
 */
public final class LocalServices implements AutoCloseable {
    private final EmbeddedAws aws;
    private final FileChannel lockChannel;
    private final FileLock lock;
    private final Path stateDir;

    private LocalServices(Path stateDir, EmbeddedAws aws, FileChannel lockChannel, FileLock lock) {
        this.stateDir = stateDir;
        this.aws = aws;
        this.lockChannel = lockChannel;
        this.lock = lock;
    }

    /**
     * Starts both servers under {@code stateDir}.
     *
     * @param s3Port  0 for any free port
     * @param ddbPort 0 for any free port
     * @throws LocalSetupException with a one-line message when the directory is in use or a port is taken
     */
    public static LocalServices start(Path stateDir, String bucket, String table, int s3Port, int ddbPort) {
        checkPort("--s3-port", s3Port);
        checkPort("--dynamodb-port", ddbPort);
        FileChannel channel = null;
        FileLock lock;
        try {
            Files.createDirectories(stateDir);
            channel = FileChannel.open(stateDir.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            lock = channel.tryLock();
        } catch (IOException | OverlappingFileLockException e) {
            closeQuietly(channel);
            throw new LocalSetupException("cannot use state directory " + stateDir + ": " + e.getMessage());
        }
        if (lock == null) {
            closeQuietly(channel);
            throw new LocalSetupException("state directory " + stateDir
                    + " is in use by another chunkflow process (use --state-dir to pick another)");
        }
        // DynamoDB Local prints its settings banner on stdout: it does not belong in the CLI's output
        // (`invoke` prints the handler's response on stdout).
        java.io.PrintStream stdout = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            EmbeddedAws aws = EmbeddedAws.onDisk(stateDir, bucket, table, s3Port, ddbPort);
            return new LocalServices(stateDir, aws, channel, lock);
        } catch (Exception e) {
            closeQuietly(channel);
            throw new LocalSetupException("could not start the embedded S3/DynamoDB servers: " + rootMessage(e));
        } finally {
            System.setOut(stdout);
        }
    }

    private static void checkPort(String flag, int port) {
        if (port < 0 || port > 65535) {
            throw new LocalSetupException(flag + ": " + port + " is not a port number");
        }
        if (port == 0) {
            return;
        }
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", port));
        } catch (BindException e) {
            throw new LocalSetupException(flag + ": port " + port + " on 127.0.0.1 is already in use");
        } catch (IOException e) {
            throw new LocalSetupException(flag + ": cannot bind port " + port + ": " + e.getMessage());
        }
    }

    private static String rootMessage(Throwable t) {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c) {
            c = c.getCause();
        }
        return c.getClass().getSimpleName() + ": " + c.getMessage();
    }

    private static void closeQuietly(FileChannel c) {
        try {
            if (c != null) {
                c.close();
            }
        } catch (IOException ignored) {
            // best effort
        }
    }

    public EmbeddedAws aws() {
        return aws;
    }

    public Path stateDir() {
        return stateDir;
    }

    @Override
    public void close() throws Exception {
        try {
            aws.close();
        } finally {
            lock.release();
            lockChannel.close();
        }
    }

    /** A setup problem the CLI reports as one line with a non-zero exit. */
    public static final class LocalSetupException extends RuntimeException {
        public LocalSetupException(String message) {
            super(message);
        }
    }
}
