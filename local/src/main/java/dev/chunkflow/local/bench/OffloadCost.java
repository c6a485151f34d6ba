package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class OffloadCost implements BenchSection {
    @Override
    public String key() {
        return "offload";
    }

    @Override
    public String title() {
        return "6. Offload cost";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("offload: not implemented yet");
    }
}
