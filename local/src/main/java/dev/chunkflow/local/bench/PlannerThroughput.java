package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class PlannerThroughput implements BenchSection {
    @Override
    public String key() {
        return "planner";
    }

    @Override
    public String title() {
        return "3. Planner throughput";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("planner: not implemented yet");
    }
}
