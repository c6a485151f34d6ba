package dev.chunkflow.local.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One start's class loading, read from its {@code -Xlog:class+load} log; {@code serviceMetadataMs}: the SDK
 * loading the metadata classes of every AWS service.
 */
record ClassLoads(long total, long cds, long jdk, long appJar, long runtime, long other, Map<String, Long> topAppPackages,
                  long serviceMetadataClasses, double serviceMetadataMs) {

    static ClassLoads parse(Path log, String appJarName) throws IOException {
        return parse(Files.readAllLines(log), appJarName);
    }

    /** Lines like {@code [0.123s][info][class,load] java.lang.Object source: shared objects file}. */
    static ClassLoads parse(List<String> lines, String appJarName) {
        long total = 0, cds = 0, jdk = 0, app = 0, runtime = 0, other = 0, metadata = 0;
        double metadataFirst = -1, metadataLast = -1;
        Map<String, Long> packages = new TreeMap<>();
        for (String line : lines) {
            int at = line.indexOf("[class,load] ");
            if (at < 0) {
                continue;
            }
            total++;
            String rest = line.substring(at + "[class,load] ".length());
            String cls = rest.contains(" ") ? rest.substring(0, rest.indexOf(' ')) : rest;
            if (cls.startsWith("software.amazon.awssdk.regions.servicemetadata.") && line.startsWith("[")) {
                double atSeconds = Double.parseDouble(line.substring(1, line.indexOf('s')));
                metadataFirst = metadataFirst < 0 ? atSeconds : metadataFirst;
                metadataLast = atSeconds;
                metadata++;
            }
            if (rest.contains("source: shared objects file")) {
                cds++;
            } else if (rest.contains("source: jrt:/")) {
                jdk++;
            } else if (rest.contains(appJarName)) {
                app++;
                packages.merge(PackageGroup.of(cls), 1L, Long::sum);
            } else if (rest.contains("launcher") || rest.contains("aws-lambda-java-serialization")) {
                runtime++;
            } else {
                other++;
            }
        }
        Map<String, Long> top = new LinkedHashMap<>();
        packages.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed()).limit(8)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return new ClassLoads(total, cds, jdk, app, runtime, other, top, metadata,
                metadata == 0 ? 0 : (metadataLast - metadataFirst) * 1000);
    }
}
