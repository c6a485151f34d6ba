package dev.chunkflow.pipeline.plan;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.Deflater;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;

import dev.chunkflow.common.Json;
import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.workload.KeyEncoder;

/**
 * A chunk's key set, {@code runs/{job}/chunks/NNNNN.keys.json.gz}: {@code [{"key": [part, ...], "rows": n}]}
 * in plan order. ProcessChunk checks every row it reads against it.
 */
public final class KeySetFile {
    private KeySetFile() {
    }

    /** Keys {@code from..to-1} of a partition's plan: codes first (decoded), then the general keys. */
    static byte[] write(KeyEncoder encoder, long[] codes, int[] generalIds, GeneralKeys general, int[] rows, int from, int to) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(64 + (to - from) * 40);
        try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(
                new DeterministicGzipOutputStream(bytes, Deflater.BEST_SPEED))) {
            g.writeStartArray();
            for (int i = from; i < to; i++) {
                String[] parts = i < codes.length ? encoder.decode(codes[i]) : general.parts(generalIds[i - codes.length]);
                g.writeStartObject();
                g.writeArrayFieldStart("key");
                for (String p : parts) {
                    g.writeString(p);
                }
                g.writeEndArray();
                g.writeNumberField("rows", rows[i]);
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return bytes.toByteArray();
    }

    /**
     * Key -> {rows promised, rows seen (0)}. A malformed file is an {@link IllegalArgumentException}
     * with a message naming {@code where} and never a key value.
     */
    public static Map<Key, long[]> read(InputStream gzipped, String where, int keyParts) throws IOException {
        Map<Key, long[]> keys = new HashMap<>();
        try (JsonParser p = Json.MAPPER.getFactory().createParser(gzipped)) {
            if (p.nextToken() != JsonToken.START_ARRAY) {
                throw new IllegalArgumentException(where + " is not a JSON array");
            }
            while (p.nextToken() == JsonToken.START_OBJECT) {
                List<String> parts = null;
                long rows = -1;
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    if (f.equals("key") && t == JsonToken.START_ARRAY) {
                        parts = new ArrayList<>(keyParts);
                        while (p.nextToken() == JsonToken.VALUE_STRING) {
                            parts.add(p.getText());
                        }
                    } else if (f.equals("rows")) {
                        rows = p.getLongValue();
                    } else {
                        p.skipChildren();
                    }
                }
                if (parts == null || parts.size() != keyParts || rows < 1) {
                    throw new IllegalArgumentException(where + " has an incomplete entry");
                }
                if (keys.put(new Key(parts.toArray(String[]::new)), new long[] {rows, 0}) != null) {
                    throw new IllegalArgumentException(where + " lists a key twice");
                }
            }
        }
        return keys;
    }
}
