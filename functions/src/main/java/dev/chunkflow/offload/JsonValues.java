package dev.chunkflow.offload;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;

import dev.chunkflow.common.Json;

/** Reads JSON with exact decimals (BigDecimal, never double), so numbers round-trip through DynamoDB unchanged. */
public final class JsonValues {
    private static final ObjectReader READER = Json.MAPPER.reader()
            .with(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS);

    private JsonValues() {
    }

    /** A stored document (our own bytes): a parse failure is a server-side problem. */
    public static Object parse(byte[] json) {
        try {
            return READER.forType(Object.class).readValue(json);
        } catch (IOException e) {
            throw new UncheckedIOException("stored JSON document is not valid", e);
        }
    }

    /** A handler's input: empty or malformed input is the caller's fault. */
    public static JsonNode readInput(InputStream in) {
        return dev.chunkflow.common.Json.readInput(READER, in);
    }

    public static Object toObject(JsonNode node) {
        try {
            return READER.forType(Object.class).readValue(READER.treeAsTokens(node));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
