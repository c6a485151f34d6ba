package dev.chunkflow.local.bench;

/** Section placeholder: replaced by its implementation before the harness lands. */
final class PayloadScaling implements BenchSection {
    @Override
    public String key() {
        return "payload_scaling";
    }

    @Override
    public String title() {
        return "1. Payload and history scaling";
    }

    @Override
    public Result run(BenchContext ctx) {
        throw new UnsupportedOperationException("payload_scaling: not implemented yet");
    }
}
