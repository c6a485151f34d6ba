package dev.chunkflow.local.bench.coldstart;

/** A package group for the class-load and artifact summaries: the SDK service or module, Jackson, Lambda libraries, ours. */
final class PackageGroup {
    private PackageGroup() {
    }

    static String of(String cls) {
        String[] p = cls.split("\\.");
        if (cls.startsWith("software.amazon.awssdk.services.") && p.length > 4) {
            return "awssdk.services." + p[4];
        }
        if (cls.startsWith("software.amazon.awssdk.") && p.length > 3) {
            return "awssdk." + p[3];
        }
        if (cls.startsWith("com.fasterxml.jackson.")) {
            return "jackson";
        }
        if (cls.startsWith("com.amazonaws.services.lambda.runtime.events")) {
            return "aws-lambda-java-events";
        }
        if (cls.startsWith("com.amazonaws.services.lambda.runtime")) {
            return "aws-lambda-java-core";
        }
        if (cls.startsWith("dev.chunkflow.")) {
            return "dev.chunkflow";
        }
        return p.length > 2 ? p[0] + "." + p[1] + "." + p[2] : cls;
    }
}
