package dev.chunkflow.workload;

import java.io.IOException;
import java.io.OutputStream;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

/** A JSON Lines writer for parts: write one object, then {@link #endLine}. Closing it closes {@code out}. */
public final class JsonLines {
    private static final JsonFactory FACTORY = new JsonFactory();

    private JsonLines() {
    }

    public static JsonGenerator generator(OutputStream out) throws IOException {
        JsonGenerator g = FACTORY.createGenerator(out);
        g.setRootValueSeparator(null);
        return g;
    }

    public static void endLine(JsonGenerator g) throws IOException {
        g.writeRaw('\n');
    }
}
