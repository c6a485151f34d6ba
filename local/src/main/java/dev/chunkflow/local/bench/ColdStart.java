package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class ColdStart implements BenchSection {
    @Override
    public String key() {
        return "cold_start";
    }

    @Override
    public String title() {
        return "5. Cold start and package size";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("cold_start: not implemented yet");
    }
}
