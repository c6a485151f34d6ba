package dev.chunkflow.local.bench;

import java.util.Arrays;

/** Order statistics of a few samples (benchmarks here take 5 to 50 samples; no streaming needed). */
public final class Stats {
    private Stats() {
    }

    public static double median(double[] samples) {
        return percentile(samples, 50);
    }

    /** Nearest-rank percentile; {@code p} in [0, 100]. */
    public static double percentile(double[] samples, double p) {
        if (samples.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        double[] s = samples.clone();
        Arrays.sort(s);
        if (p <= 0) {
            return s[0];
        }
        int rank = (int) Math.ceil(p / 100.0 * s.length);
        return s[Math.min(s.length, Math.max(1, rank)) - 1];
    }

    public static double round(double v, int decimals) {
        double f = Math.pow(10, decimals);
        return Math.round(v * f) / f;
    }
}
