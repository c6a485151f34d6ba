package dev.chunkflow.local.bench.coldstart;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.Enumeration;
import java.util.function.Predicate;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipEntry;

import dev.chunkflow.local.bench.launch.ColdStartLauncher;

/**
 * The class path of a cold start, as the Lambda Java runtime has it: the deployable jar, what the runtime
 * brings for POJO handlers (aws-lambda-java-serialization) and the launcher package only, both copied out of
 * whatever this harness runs from (Maven's class path or the CLI jar).
 */
final class LambdaClassPath {
    private LambdaClassPath() {
    }

    /** Extracts the launcher and the runtime's serialization under {@code dir}; the class path string of all three. */
    static String build(Path dir, Path lambdaJar) throws IOException {
        Path launcherDir = extract(dir.resolve("launcher"), ColdStartLauncher.class,
                name -> name.startsWith("dev/chunkflow/local/bench/launch/"));
        Path runtimeJar = runtimeJar(dir.resolve("runtime/aws-lambda-java-serialization.jar"));
        return lambdaJar + File.pathSeparator + launcherDir + File.pathSeparator + runtimeJar;
    }

    /** Copies the classes of {@code anchor}'s code source that {@code keep} selects into {@code dir}. */
    static Path extract(Path dir, Class<?> anchor, Predicate<String> keep) throws IOException {
        Files.createDirectories(dir);
        Path source = codeSource(anchor);
        if (Files.isDirectory(source)) {
            try (var walk = Files.walk(source)) {
                for (Path f : walk.filter(Files::isRegularFile).toList()) {
                    String name = source.relativize(f).toString().replace(File.separatorChar, '/');
                    if (keep.test(name)) {
                        Path out = dir.resolve(name);
                        Files.createDirectories(out.getParent());
                        Files.copy(f, out);
                    }
                }
            }
            return dir;
        }
        try (JarFile jar = new JarFile(source.toFile())) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                if (!e.isDirectory() && keep.test(e.getName())) {
                    Path out = dir.resolve(e.getName());
                    Files.createDirectories(out.getParent());
                    try (InputStream in = jar.getInputStream(e)) {
                        Files.copy(in, out);
                    }
                }
            }
        }
        return dir;
    }

    /**
     * aws-lambda-java-serialization as the runtime has it: its own jar when this harness runs from Maven's
     * class path, else its classes (serializers + shaded Jackson/Gson/Joda) copied out of the CLI jar.
     */
    static Path runtimeJar(Path out) throws IOException {
        Path source = codeSource(com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers.class);
        Files.createDirectories(out.getParent());
        if (source.getFileName().toString().startsWith("aws-lambda-java-serialization")) {
            Files.copy(source, out);
            return out;
        }
        try (JarFile jar = new JarFile(source.toFile());
             JarOutputStream jos = new JarOutputStream(Files.newOutputStream(out))) {
            Enumeration<JarEntry> entries = jar.entries();
            while (entries.hasMoreElements()) {
                JarEntry e = entries.nextElement();
                String n = e.getName();
                if (!e.isDirectory() && (n.startsWith("com/amazonaws/services/lambda/runtime/serialization/")
                        || n.startsWith("com/amazonaws/lambda/thirdparty/")
                        || n.equals("META-INF/services/com.amazonaws.lambda.thirdparty.com.fasterxml.jackson.databind.Module"))) {
                    jos.putNextEntry(new ZipEntry(n));
                    try (InputStream in = jar.getInputStream(e)) {
                        in.transferTo(jos);
                    }
                    jos.closeEntry();
                }
            }
        }
        return out;
    }

    private static Path codeSource(Class<?> c) {
        CodeSource cs = c.getProtectionDomain().getCodeSource();
        try {
            return Path.of(cs.getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }
}
