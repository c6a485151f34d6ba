package dev.chunkflow.local.bench.coldstart;

import java.util.Comparator;
import java.util.List;

import dev.chunkflow.local.bench.Stats;

/**
 * One timed start: wall ms to the response, or the reason it does not count; the launcher's split of it
 * (spawn to JVM start, JVM start to main, init, first invoke, epoch ms deltas) and the child's CPU time.
 */
record Sample(double ms, String error, long classes, long spawnToJvm, long jvmToMain, long init, long invoke, double cpuMs) {
    static Sample failed(String error) {
        return new Sample(-1, error, -1, -1, -1, -1, -1, -1);
    }

    boolean ok() {
        return error == null;
    }

    /** Median wall ms of the starts that count; NaN if none does. */
    static double medianMs(List<Sample> s) {
        double[] ok = s.stream().filter(Sample::ok).mapToDouble(Sample::ms).toArray();
        return ok.length == 0 ? Double.NaN : Stats.median(ok);
    }

    static double medianCpu(List<Sample> s) {
        double[] ok = s.stream().filter(x -> x.ok() && x.cpuMs() >= 0).mapToDouble(Sample::cpuMs).toArray();
        return ok.length == 0 ? Double.NaN : Stats.median(ok);
    }

    /** The median start itself (the lower one of an even count), to show how a start splits. */
    static Sample typical(List<Sample> s) {
        List<Sample> ok = s.stream().filter(Sample::ok).sorted(Comparator.comparingDouble(Sample::ms)).toList();
        return ok.isEmpty() ? null : ok.get((ok.size() - 1) / 2);
    }
}
