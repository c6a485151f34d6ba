package dev.chunkflow.local.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.local.asl.AslJson;

/**
 * The console page: one self-contained HTML file (styles and script inline, nothing fetched from the
 * network). Served live by {@code chunkflow serve}, where the script reads {@code /_chunkflow/api/...};
 * written by {@code chunkflow run} with its execution's data embedded.
 */
public final class ConsolePage {
    private ConsolePage() {
    }

    /** @param data one execution's {@link ConsoleData#execution} document, or null for the live page */
    public static String render(JsonNode data) {
        String html = resource("console.html");
        String embedded = data == null ? "null" : AslJson.write(data).replace("</", "<\\/");
        return html.replace("/*STYLE*/", resource("console.css"))
                .replace("/*SCRIPT*/", resource("console.js"))
                .replace("/*DATA*/null", embedded);
    }

    private static String resource(String name) {
        try (InputStream in = ConsolePage.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("console resource " + name + " is missing from the jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
