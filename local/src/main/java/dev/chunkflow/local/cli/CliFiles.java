package dev.chunkflow.local.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslJson;

/** Reading and writing the CLI's JSON files with one-line errors. */
final class CliFiles {
    private CliFiles() {
    }

    static JsonNode readJson(Path file, String what) {
        String text;
        try {
            text = Files.readString(file);
        } catch (IOException e) {
            throw new CliError("cannot read " + what + " " + file + ": " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : " " + e.getMessage()));
        }
        try {
            return AslJson.parse(text);
        } catch (IllegalArgumentException e) {
            throw new CliError(what + " " + file + " is " + e.getMessage());
        }
    }

    static void writeJson(Path file, JsonNode node, String what) {
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(file, AslJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(node) + "\n");
        } catch (IOException e) {
            throw new CliError("cannot write " + what + " " + file + ": " + e.getMessage());
        }
    }
}
