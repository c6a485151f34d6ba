package dev.chunkflow.local.chaos;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import dev.chunkflow.local.faults.FaultKind;
import dev.chunkflow.local.faults.FaultPlan;
import dev.chunkflow.local.faults.FaultScope;

/**
 * {@code chunkflow chaos}: runs a small job cleanly, then again and again with faults inside the
 * handlers, and checks {@link Invariants} after every run against the clean one.
 *
 * <p>Points mode tries every crash point (each SDK call of each invocation the clean run made) with
 * every fault kind that applies there, on the first attempt of that invocation (its retry is clean).
 * Random mode makes {@code runs} runs in which every SDK call of every attempt faults with probability
 * {@code rate}. Runs are spread over {@code workers}, each a local stack of its own.
 */
public final class ChaosCampaign {
    /** A fault at one SDK call of one invocation. */
    record Point(String key, int call, String operation, FaultKind kind) {
        String label() {
            return key + " call " + call + " (" + operation + ")";
        }
    }

    private ChaosCampaign() {
    }

    /**
     * Each kind's scope unless {@code --fault-scope} says otherwise: every attempt of the call, so the
     * handler sees the fault, except the DynamoDB throttles, which the SDK's DynamoDB policy retries for
     * about a minute before giving up; those hit one attempt, as throttling usually does.
     */
    static FaultScope scopeFor(FaultKind kind, ChaosOptions o) {
        if (o.scope() != null) {
            return o.scope();
        }
        if (o.random()) {
            return FaultScope.ATTEMPT;
        }
        return kind == FaultKind.DDB_THROTTLING || kind == FaultKind.DDB_THROUGHPUT_EXCEEDED ? FaultScope.ATTEMPT : FaultScope.CALL;
    }

    public static ChaosReport run(Path repoRoot, ChaosOptions o, PrintStream progress) throws Exception {
        long started = System.nanoTime();
        List<ChaosWorker> workers = startWorkers(repoRoot, o);
        try {
            FaultPlan cleanPlan = FaultPlan.record();
            RunObservation clean = workers.get(0).run("chaos-clean", cleanPlan);
            if (!"SUCCEEDED".equals(clean.finalStatus()) || clean.redrives() > 0) {
                throw new IllegalStateException("the clean run did not succeed: " + clean.finalStatus() + " " + clean.finalError());
            }
            List<String> cleanBroken = Invariants.broken(clean, clean);
            if (!cleanBroken.isEmpty() || !clean.orphans().isEmpty()) {
                throw new IllegalStateException("the clean run breaks the invariants: " + cleanBroken + " orphans " + clean.orphans());
            }
            Map<String, List<String>> calls = cleanPlan.calls();
            List<Point> all = points(calls);
            int crashPoints = calls.values().stream().mapToInt(List::size).sum();
            List<String> crashPointList = new ArrayList<>();
            calls.forEach((key, ops) -> {
                for (int i = 0; i < ops.size(); i++) {
                    crashPointList.add(key + " " + (i + 1) + " " + ops.get(i));
                }
            });
            List<Job> jobs = new ArrayList<>();
            if (o.random()) {
                for (int i = 0; i < o.runs(); i++) {
                    FaultScope scope = o.scope() != null ? o.scope() : FaultScope.ATTEMPT;
                    jobs.add(new Job(i + 1, null, "random rate " + o.rate() + " seed " + (o.faultSeed() + i) + " scope "
                            + scope.name().toLowerCase(java.util.Locale.ROOT), FaultPlan.random(o.rate(), o.faultSeed() + i, scope)));
                }
            } else {
                // --point first, then all the other points, or a seeded sample of them (--sample).
                List<Point> tried = new ArrayList<>();
                for (String spec : o.only()) {
                    tried.add(resolve(spec, calls));
                }
                if (o.only().isEmpty() || o.sample() > 0) {
                    List<Point> rest = new ArrayList<>(all);
                    rest.removeAll(tried);
                    if (o.sample() > 0 && o.sample() < rest.size()) {
                        Collections.shuffle(rest, new Random(o.faultSeed()));
                        rest = new ArrayList<>(rest.subList(0, o.sample()));
                        rest.sort((a, b) -> all.indexOf(a) - all.indexOf(b));
                    }
                    tried.addAll(rest);
                }
                int n = 0;
                for (Point p : tried) {
                    FaultScope scope = scopeFor(p.kind(), o);
                    jobs.add(new Job(++n, p, p.kind().label() + " (" + scope.name().toLowerCase(java.util.Locale.ROOT) + ")",
                            FaultPlan.at(p.key(), p.call(), p.kind(), scope)));
                }
            }
            progress.printf("chaos: clean run made %d invocations, %d SDK calls (crash points); %d fault points; %d run(s) on %d worker(s)%n",
                    calls.size(), crashPoints, all.size(), jobs.size(), workers.size());
            List<ChaosReport.Divergence> divergent = Collections.synchronizedList(new ArrayList<>());
            List<ChaosReport.Orphans> orphans = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger done = new AtomicInteger();
            AtomicInteger redriven = new AtomicInteger();
            AtomicInteger injected = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(workers.size());
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < workers.size(); w++) {
                ChaosWorker worker = workers.get(w);
                int first = w;
                futures.add(pool.submit(() -> {
                    for (int i = first; i < jobs.size(); i += workers.size()) {
                        Job job = jobs.get(i);
                        String jobId = "chaos-" + job.run();
                        RunObservation obs;
                        try {
                            obs = worker.run(jobId, job.plan());
                        } catch (Exception e) {
                            divergent.add(new ChaosReport.Divergence(job.run(), jobId, job.pointLabel(), job.fault(),
                                    "run: " + e, job.plan().injected()));
                            report(progress, done.incrementAndGet(), jobs.size(), divergent.size(), started);
                            continue;
                        }
                        injected.addAndGet(obs.injected().size());
                        if (obs.redrives() > 0) {
                            redriven.incrementAndGet();
                        }
                        for (String broken : Invariants.broken(clean, obs)) {
                            divergent.add(new ChaosReport.Divergence(job.run(), jobId, job.pointLabel(), job.fault(), broken,
                                    obs.injected()));
                        }
                        if (!obs.orphans().isEmpty()) {
                            orphans.add(new ChaosReport.Orphans(jobId, job.pointLabel(), job.fault(), obs.orphans()));
                        }
                        report(progress, done.incrementAndGet(), jobs.size(), divergent.size(), started);
                    }
                    return null;
                }));
            }
            for (Future<?> f : futures) {
                f.get();
            }
            pool.shutdown();
            List<ChaosReport.Divergence> sorted = new ArrayList<>(divergent);
            sorted.sort((a, b) -> Integer.compare(a.run(), b.run()));
            List<ChaosReport.Orphans> sortedOrphans = new ArrayList<>(orphans);
            sortedOrphans.sort((a, b) -> a.job_id().compareTo(b.job_id()));
            return new ChaosReport(o.random() ? "random" : "points", o.rows(), o.chunkRows(),
                    clean.counters().getOrDefault("num_chunks", 0L), o.seed(), o.faultSeed(), o.random() ? o.rate() : 0,
                    o.scope() != null ? o.scope().name().toLowerCase(java.util.Locale.ROOT) : o.random() ? "attempt" : "per kind",
                    o.lambda().isolation().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'), crashPoints, all.size(),
                    o.random() ? 0 : jobs.size(), jobs.size(), redriven.get(), injected.get(),
                    Math.round((System.nanoTime() - started) / 1e8) / 10.0, Invariants.CHECKED, sorted, sortedOrphans,
                    crashPointList);
        } finally {
            for (ChaosWorker w : workers) {
                try {
                    w.close();
                } catch (Exception ignored) {
                    // shutting down
                }
            }
        }
    }

    private record Job(int run, Point point, String fault, FaultPlan plan) {
        String pointLabel() {
            return point == null ? "random" : point.label();
        }
    }

    /**
     * {@code KEY:CALL:KIND}, CALL a number, or {@code Service.Operation#N}: the N-th such call of the
     * invocation (N below 0 counts from its last; {@code #1} if omitted), which survives code changes
     * that move the call's number.
     */
    static Point resolve(String spec, Map<String, List<String>> calls) {
        int last = spec.lastIndexOf(':');
        int mid = last < 0 ? -1 : spec.lastIndexOf(':', last - 1);
        if (mid <= 0) {
            throw new IllegalArgumentException("--point: " + spec + " is not KEY:CALL:KIND");
        }
        String key = spec.substring(0, mid);
        String call = spec.substring(mid + 1, last);
        FaultKind kind = FaultKind.parse(spec.substring(last + 1));
        List<String> ops = calls.get(key);
        if (ops == null) {
            throw new IllegalArgumentException("--point: the clean run has no invocation " + key + " (it has " + calls.keySet() + ")");
        }
        int index = -1;
        if (call.matches("\\d+")) {
            index = Integer.parseInt(call) - 1;
        } else {
            String op = call.contains("#") ? call.substring(0, call.indexOf('#')) : call;
            int n = call.contains("#") ? Integer.parseInt(call.substring(call.indexOf('#') + 1)) : 1;
            List<Integer> at = new ArrayList<>();
            for (int i = 0; i < ops.size(); i++) {
                if (ops.get(i).equals(op)) {
                    at.add(i);
                }
            }
            int pick = n > 0 ? n - 1 : at.size() + n;
            if (pick >= 0 && pick < at.size()) {
                index = at.get(pick);
            }
        }
        if (index < 0 || index >= ops.size()) {
            throw new IllegalArgumentException("--point: " + key + " has no call " + call + " (its calls: " + ops + ")");
        }
        String op = ops.get(index);
        int dot = op.indexOf('.');
        if (!kind.appliesTo(op.substring(0, dot), op.substring(dot + 1))) {
            throw new IllegalArgumentException("--point: " + kind.label() + " cannot happen at " + op);
        }
        return new Point(key, index + 1, op, kind);
    }

    static List<Point> points(Map<String, List<String>> calls) {
        List<Point> out = new ArrayList<>();
        calls.forEach((key, ops) -> {
            for (int i = 0; i < ops.size(); i++) {
                String op = ops.get(i);
                int dot = op.indexOf('.');
                for (FaultKind kind : FaultKind.applicable(op.substring(0, dot), op.substring(dot + 1))) {
                    out.add(new Point(key, i + 1, op, kind));
                }
            }
        });
        return out;
    }

    private static List<ChaosWorker> startWorkers(Path repoRoot, ChaosOptions o) throws Exception {
        List<ChaosWorker> workers = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(o.workers());
        List<Future<ChaosWorker>> futures = new ArrayList<>();
        for (int w = 0; w < o.workers(); w++) {
            Path dir = o.stateDir().resolve("w" + (w + 1));
            futures.add(pool.submit(() -> new ChaosWorker(repoRoot, dir, o)));
        }
        Exception failure = null;
        for (Future<ChaosWorker> f : futures) {
            try {
                workers.add(f.get());
            } catch (java.util.concurrent.ExecutionException e) {
                failure = e.getCause() instanceof Exception ex ? ex : e;
            }
        }
        pool.shutdown();
        if (failure != null) {
            for (ChaosWorker w : workers) {
                w.close();
            }
            throw failure;
        }
        return workers;
    }

    private static synchronized void report(PrintStream progress, int done, int total, int divergent, long started) {
        int every = Math.max(1, total / 25);
        if (done % every != 0 && done != total) {
            return;
        }
        double elapsed = (System.nanoTime() - started) / 1e9;
        double eta = done == 0 ? 0 : elapsed / done * (total - done);
        progress.printf("chaos: %d/%d runs, %d divergence(s), %.0f s elapsed, about %.0f s left%n", done, total, divergent,
                elapsed, eta);
        progress.flush();
    }
}
