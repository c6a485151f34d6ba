package dev.chunkflow.local.bench.coldstart;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/** The deployable jar: its size and where its bytes go (compressed size plus per-entry zip overhead), by group, largest first. */
record Artifact(Path jar, long bytes, long entries, Map<String, Long> bytesByGroup) {
    static Artifact of(Path jar) throws IOException {
        long bytes = Files.size(jar);
        Map<String, Long> groups = new TreeMap<>();
        long n = 0;
        try (ZipFile z = new ZipFile(jar.toFile())) {
            Enumeration<? extends ZipEntry> entries = z.entries();
            while (entries.hasMoreElements()) {
                ZipEntry e = entries.nextElement();
                n++;
                String name = e.getName();
                String g = name.endsWith(".class") ? PackageGroup.of(name.substring(0, name.length() - 6).replace('/', '.')) : "resources";
                // local header (30) + central directory (46) + name twice + data descriptor (16)
                long overhead = 92 + 2L * name.length();
                groups.merge(g, Math.max(0, e.getCompressedSize()) + overhead, Long::sum);
            }
        }
        Map<String, Long> sorted = new LinkedHashMap<>();
        groups.entrySet().stream().sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .forEach(e -> sorted.put(e.getKey(), e.getValue()));
        return new Artifact(jar, bytes, n, sorted);
    }
}
