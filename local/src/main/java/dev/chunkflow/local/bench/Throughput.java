package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class Throughput implements BenchSection {
    @Override
    public String key() {
        return "throughput";
    }

    @Override
    public String title() {
        return "2. End-to-end throughput";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("throughput: not implemented yet");
    }
}
