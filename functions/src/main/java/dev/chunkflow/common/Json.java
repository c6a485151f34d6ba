package dev.chunkflow.common;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The one shared Jackson codec: every handler reads and writes its payload bytes through it. */
public final class Json {
    public static final ObjectMapper MAPPER = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .build();

    private Json() {
    }

    public static byte[] bytes(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("cannot serialize " + value.getClass().getSimpleName(), e);
        }
    }

    public static String string(Object value) {
        return new String(bytes(value), StandardCharsets.UTF_8);
    }

    /** Parses a handler's input; malformed JSON is the caller's fault, so it is {@link InvalidInput}. */
    public static JsonNode readTree(InputStream in) {
        return readInput(MAPPER.reader(), in);
    }

    /** {@link #readTree(InputStream)} with a configured reader (e.g. one keeping decimals exact). */
    public static JsonNode readInput(com.fasterxml.jackson.databind.ObjectReader reader, InputStream in) {
        try {
            JsonNode node = reader.readTree(in);
            if (node == null || node.isMissingNode()) {
                throw new InvalidInput("$", "input is empty");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new InvalidInput("$", "input is not valid JSON: " + e.getOriginalMessage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static JsonNode readTree(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (IOException e) {
            throw new InvalidInput("$", "not valid JSON: " + e.getMessage());
        }
    }
}
