package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class Memory implements BenchSection {
    @Override
    public String key() {
        return "memory";
    }

    @Override
    public String title() {
        return "4. Memory";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("memory: not implemented yet");
    }
}
