package dev.chunkflow.common;

import java.io.PrintStream;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Structured JSON log lines, one object per line, on stdout (where Lambda's JSON log format and
 * CloudWatch Logs Insights pick them up). Only ids, sizes, keys, counts and timings go in here:
 * never row data, SSNs or step outputs.
 */
public final class Log {
    private static volatile PrintStream out = System.out;

    private Log() {
    }

    /** Lets the local CLI send handler logs to stderr so stdout stays the handler's response. */
    public static void redirect(PrintStream stream) {
        out = stream;
    }

    /** Where log lines go now: the local runner copies the lines of its per-function JVMs there. */
    public static PrintStream stream() {
        return out;
    }

    public static void info(String message, Object... keyValues) {
        write("INFO", message, keyValues);
    }

    public static void warn(String message, Object... keyValues) {
        write("WARN", message, keyValues);
    }

    public static void error(String message, Object... keyValues) {
        write("ERROR", message, keyValues);
    }

    private static void write(String level, String message, Object... keyValues) {
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("timestamp", Instant.now().toString());
        line.put("level", level);
        line.put("message", message);
        for (int i = 0; i + 1 < keyValues.length; i += 2) {
            line.put(String.valueOf(keyValues[i]), keyValues[i + 1]);
        }
        String json;
        try {
            json = Json.MAPPER.writeValueAsString(line);
        } catch (Exception e) {
            json = "{\"level\":\"" + level + "\",\"message\":\"" + message + "\"}";
        }
        out.println(json);
    }
}
