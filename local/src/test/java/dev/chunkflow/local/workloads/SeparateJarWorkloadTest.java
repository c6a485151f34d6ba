package dev.chunkflow.local.workloads;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * docs/workloads.md, followed to the letter: one class plus a META-INF/services file, compiled here into
 * a jar of its own (nothing of it is in functions/ or on this JVM's class path), put on the class path of
 * a fresh {@code chunkflow run --workload NAME --input DIR} process, run through the local pipeline.
 */
class SeparateJarWorkloadTest {
    private static final Path REPO = Path.of(System.getProperty("chunkflow.repo.root", "..")).toAbsolutePath().normalize();

    static final String SOURCE = """
            package com.example.greetings;

            import java.util.List;
            import java.util.Map;
            import java.util.TreeMap;

            import dev.chunkflow.workload.*;

            /** Counts greetings per name: CSV name,greeting keyed by name; one part, "counts". */
            public final class GreetingsWorkload implements Workload {
                public String name() { return "greetings"; }
                public RecordFormat format() { return new RecordFormat.Csv(List.of("name", "greeting")); }
                public GroupingKey key() { return GroupingKey.of(KeyPart.string("name")); }
                public List<String> parts() { return List.of("counts"); }

                public ChunkProcessor newChunkProcessor(ChunkContext context) {
                    Map<String, Long> counts = new TreeMap<>();
                    return new ChunkProcessor() {
                        public void accept(SourceRecord r) {
                            if (r.fieldCount() != 2 || r.field(1).isBlank()) {
                                throw new RecordRejected("no_greeting", "a record needs a name and a greeting");
                            }
                            counts.merge(r.field(0), 1L, Long::sum);
                        }

                        public ChunkOutput finish() {
                            long rows = counts.values().stream().mapToLong(Long::longValue).sum();
                            ChunkOutput.PartWriter counted = out -> {
                                try (var g = JsonLines.generator(out)) {
                                    for (var e : counts.entrySet()) {
                                        g.writeStartObject();
                                        g.writeStringField("name", e.getKey());
                                        g.writeNumberField("greetings", e.getValue());
                                        g.writeEndObject();
                                        JsonLines.endLine(g);
                                    }
                                }
                            };
                            return new ChunkOutput(rows, 0, Map.of("counts", counted), Map.of("names", (long) counts.size()));
                        }
                    };
                }
            }
            """;

    @Test
    void aWorkloadInItsOwnJarRunsThroughTheLocalPipeline(@TempDir Path tmp) throws Exception {
        Path src = tmp.resolve("src/com/example/greetings/GreetingsWorkload.java");
        Files.createDirectories(src.getParent());
        Files.writeString(src, SOURCE);
        Path classes = Files.createDirectories(tmp.resolve("classes"));
        String classPath = System.getProperty("java.class.path");
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        int rc = javac.run(null, null, diagnostics, "-d", classes.toString(), "-cp", classPath, "--release", "17", src.toString());
        assertEquals(0, rc, diagnostics.toString(StandardCharsets.UTF_8));
        Path jar = tmp.resolve("greetings-workload.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            add(out, "META-INF/services/dev.chunkflow.workload.Workload",
                    "com.example.greetings.GreetingsWorkload\n".getBytes(StandardCharsets.UTF_8));
            try (Stream<Path> files = Files.walk(classes)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().toList()) {
                    add(out, classes.relativize(f).toString().replace('\\', '/'), Files.readAllBytes(f));
                }
            }
        }

        Path input = Files.createDirectories(tmp.resolve("greetings"));
        Files.writeString(input.resolve("a.csv"), "name,greeting\nada,hello\nbob,hi\nada,\"hey,\nthere\"\ncyd,\n");
        Files.writeString(input.resolve("b.csv"), "name,greeting\nbob,yo\n");
        Path state = tmp.resolve("state");
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx1g", "-cp", classPath + java.io.File.pathSeparator + jar,
                "dev.chunkflow.local.cli.ChunkflowCli", "--state-dir", state.toString(),
                "run", "--workload", "greetings", "--input", input.toString(), "--job-id", "greetings-1", "--no-progress"));
        Process p = new ProcessBuilder(cmd).directory(REPO.toFile()).redirectErrorStream(true).start();
        byte[] output = p.getInputStream().readAllBytes();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "chunkflow run did not finish");
        String text = new String(output, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), text);
        assertTrue(text.contains("SUCCEEDED"), text);

        Path out = state.resolve("s3/chunkflow-data/output/greetings-1");
        StringBuilder counts = new StringBuilder();
        try (Stream<Path> parts = Files.list(out.resolve("counts"))) {
            for (Path part : parts.sorted().toList()) {
                counts.append(gunzip(part));
            }
        }
        List<String> lines = counts.toString().lines().sorted().toList();
        assertEquals(List.of("{\"name\":\"ada\",\"greetings\":2}", "{\"name\":\"bob\",\"greetings\":2}"), lines);
        String rejects = gunzip(out.resolve("rejects/part-00000.jsonl.gz")) + (Files.exists(out.resolve("rejects/part-00001.jsonl.gz"))
                ? gunzip(out.resolve("rejects/part-00001.jsonl.gz")) : "");
        assertTrue(rejects.contains("\"line\":6") && rejects.contains("no_greeting"), rejects);
        assertTrue(Files.exists(out.resolve("_SUCCESS")));
    }

    private static void add(JarOutputStream jar, String name, byte[] bytes) throws IOException {
        jar.putNextEntry(new JarEntry(name));
        jar.write(bytes);
        jar.closeEntry();
    }

    private static String gunzip(Path p) throws IOException {
        try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
