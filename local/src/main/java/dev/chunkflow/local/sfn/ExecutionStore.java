package dev.chunkflow.local.sfn;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;

/**
 * Executions and their histories on disk, so any chunkflow process (a later {@code serve}, {@code
 * executions list}, a redrive) reads what an earlier one ran. One directory per execution:
 *
 * <pre>
 * STATE_DIR/executions/STATE_MACHINE_NAME/definition.json      the definition the executions ran
 * STATE_DIR/executions/STATE_MACHINE_NAME/EXECUTION_NAME/
 *     execution.json   DescribeExecution's answer (status, dates, input, output or error/cause), rewritten atomically
 *     history.jsonl    the execution's history events, GetExecutionHistory's shape, one per line, appended as emitted
 *     map-runs.json    the Distributed Map runs (DescribeMapRun's shape) and every Map state's item counts
 *     children.jsonl   compact events of Distributed Map child executions (state entered/exited, Lambda calls)
 * </pre>
 *
 * Writers are the one process owning the state directory (see LocalServices' lock); readers may be any.
 */
public final class ExecutionStore {
    private final Path root;

    public ExecutionStore(Path stateDir) {
        this.root = stateDir.resolve("executions");
    }

    public Path root() {
        return root;
    }

    public Path dir(String stateMachineName, String executionName) {
        return root.resolve(stateMachineName).resolve(executionName);
    }

    public void saveDefinition(String stateMachineName, String definitionJson) {
        writeAtomically(root.resolve(stateMachineName).resolve("definition.json"), definitionJson.getBytes(StandardCharsets.UTF_8));
    }

    public Optional<String> definition(String stateMachineName) {
        Path p = root.resolve(stateMachineName).resolve("definition.json");
        try {
            return Files.exists(p) ? Optional.of(Files.readString(p)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void saveExecution(String stateMachineName, ObjectNode execution) {
        String name = execution.path("name").asText();
        writeAtomically(dir(stateMachineName, name).resolve("execution.json"), AslJson.bytes(execution));
    }

    public Optional<ObjectNode> execution(String stateMachineName, String executionName) {
        return readObject(dir(stateMachineName, executionName).resolve("execution.json"));
    }

    public void saveMapRuns(String stateMachineName, String executionName, ObjectNode mapRuns) {
        writeAtomically(dir(stateMachineName, executionName).resolve("map-runs.json"), AslJson.bytes(mapRuns));
    }

    public Optional<ObjectNode> mapRuns(String stateMachineName, String executionName) {
        return readObject(dir(stateMachineName, executionName).resolve("map-runs.json"));
    }

    /** Every execution of a state machine, newest first. */
    public List<ObjectNode> executions(String stateMachineName) {
        Path smDir = root.resolve(stateMachineName);
        List<ObjectNode> all = new ArrayList<>();
        if (!Files.isDirectory(smDir)) {
            return all;
        }
        try (Stream<Path> dirs = Files.list(smDir)) {
            for (Path d : dirs.filter(Files::isDirectory).toList()) {
                readObject(d.resolve("execution.json")).ifPresent(all::add);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        all.sort((a, b) -> Double.compare(b.path("startDate").asDouble(), a.path("startDate").asDouble()));
        return all;
    }

    /** The state machines that have a directory here. */
    public List<String> stateMachines() {
        if (!Files.isDirectory(root)) {
            return List.of();
        }
        try (Stream<Path> dirs = Files.list(root)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The events in id order (concurrent branches and Map iterations may append them slightly out of order). */
    public ArrayNode history(String stateMachineName, String executionName) {
        ArrayNode lines = readLines(dir(stateMachineName, executionName).resolve("history.jsonl"));
        List<JsonNode> events = new ArrayList<>();
        lines.forEach(events::add);
        events.sort(java.util.Comparator.comparingLong(e -> e.path("id").asLong()));
        ArrayNode sorted = AslJson.NODES.arrayNode();
        events.forEach(sorted::add);
        return sorted;
    }

    public ArrayNode children(String stateMachineName, String executionName) {
        return readLines(dir(stateMachineName, executionName).resolve("children.jsonl"));
    }

    /** An appender for one of an execution's .jsonl files; each line is flushed as it is written. */
    public LineWriter lines(String stateMachineName, String executionName, String file) {
        Path p = dir(stateMachineName, executionName).resolve(file);
        try {
            Files.createDirectories(p.getParent());
            return new LineWriter(Files.newBufferedWriter(p, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static ArrayNode readLines(Path p) {
        ArrayNode out = AslJson.NODES.arrayNode();
        if (!Files.exists(p)) {
            return out;
        }
        try {
            for (String line : Files.readAllLines(p, StandardCharsets.UTF_8)) {
                // a line cut short by a crash while it was written is not an event
                if (!line.isBlank() && line.endsWith("}")) {
                    out.add(AslJson.parse(line));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    private static Optional<ObjectNode> readObject(Path p) {
        try {
            if (!Files.exists(p)) {
                return Optional.empty();
            }
            JsonNode n = AslJson.parse(Files.readAllBytes(p));
            return n instanceof ObjectNode o ? Optional.of(o) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void writeAtomically(Path target, byte[] bytes) {
        try {
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempFile(target.getParent(), target.getFileName().toString(), ".tmp");
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Appends JSON lines from any thread. */
    public static final class LineWriter implements AutoCloseable {
        private final BufferedWriter out;
        private boolean closed;

        LineWriter(BufferedWriter out) {
            this.out = out;
        }

        public synchronized void append(JsonNode line) {
            if (closed) {
                return;
            }
            try {
                out.write(AslJson.write(line));
                out.write('\n');
                out.flush();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public synchronized void close() {
            closed = true;
            try {
                out.close();
            } catch (IOException ignored) {
                // best effort: every line was flushed when written
            }
        }
    }
}
