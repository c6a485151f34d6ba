package dev.chunkflow.local.run;

import java.io.PrintStream;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A one-line progress bar on stderr: chunks done / total and rows/s. On a terminal it redraws in place
 * (at most every 200 ms); when stderr is not a terminal (CI logs) it prints a line every 10%.
 */
public final class ProgressBar {
    private static final int WIDTH = 30;
    private final PrintStream out;
    private final boolean tty;
    private final long startNanos = System.nanoTime();
    private final AtomicLong total = new AtomicLong();
    private final AtomicLong done = new AtomicLong();
    private final AtomicLong rows = new AtomicLong();
    private long lastDraw;
    private int lastDecile = -1;

    public ProgressBar(PrintStream out, boolean tty) {
        this.out = out;
        this.tty = tty;
    }

    public static ProgressBar onStderr() {
        return new ProgressBar(System.err, System.console() != null);
    }

    /** Absolute figures, as read from the job record's counters. */
    public void update(long chunksDone, long chunksTotal, long rowsIn) {
        total.set(chunksTotal);
        done.set(chunksDone);
        rows.set(rowsIn);
        draw(false);
    }

    public synchronized void finish() {
        draw(true);
        if (tty) {
            out.println();
        }
    }

    private synchronized void draw(boolean force) {
        long t = total.get();
        long d = done.get();
        double secs = Math.max(1e-3, (System.nanoTime() - startNanos) / 1e9);
        long rate = Math.round(rows.get() / secs);
        if (tty) {
            long now = System.nanoTime() / 1_000_000;
            if (!force && now - lastDraw < 200) {
                return;
            }
            lastDraw = now;
            int filled = t == 0 ? 0 : (int) (WIDTH * d / t);
            out.print("\r  chunks [" + "#".repeat(filled) + " ".repeat(WIDTH - filled) + "] " + d + "/" + t
                    + "  " + rate + " rows/s   ");
            out.flush();
        } else {
            int decile = t == 0 ? 0 : (int) (10 * d / t);
            if (force || decile != lastDecile) {
                lastDecile = decile;
                out.println("  chunks " + d + "/" + t + " (" + (t == 0 ? 0 : 100 * d / t) + "%), " + rate + " rows/s");
            }
        }
    }
}
