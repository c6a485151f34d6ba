package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class CostModel implements BenchSection {
    @Override
    public String key() {
        return "cost_model";
    }

    @Override
    public String title() {
        return "7. Cost model";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("cost_model: not implemented yet");
    }
}
