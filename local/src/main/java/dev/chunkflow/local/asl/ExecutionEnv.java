package dev.chunkflow.local.asl;

import java.util.concurrent.ExecutorService;

import software.amazon.awssdk.services.s3.S3Client;

/** What every running execution of one engine call shares. */
record ExecutionEnv(AslEngine.Config config, StatsCollector stats, ExecutorService pool) {
    Limits limits() {
        return config.limits();
    }

    TimeSource time() {
        return config.timeSource();
    }

    ExecutionListener listener() {
        return config.listener();
    }

    LambdaInvoker lambda() {
        return config.lambdaInvoker();
    }

    S3Client s3() {
        return config.s3();
    }
}
