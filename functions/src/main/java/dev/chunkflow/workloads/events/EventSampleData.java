package dev.chunkflow.workloads.events;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.SplittableRandom;
import java.util.function.Function;

/**
 * Synthetic app events as JSON Lines, reproducible from a seed (same rows and seed, same bytes): users'
 * activity skewed (cubic), bursts of events seconds to minutes apart separated by idle gaps of hours (so
 * sessions form), 3% re-sent events (same {@code event_id}, same line content) and 1% malformed lines
 * (not JSON, no {@code user_id}, no {@code event_id}, bad timestamp). One object per 250,000 events.
 */
final class EventSampleData {
    static final long ROWS_PER_FILE = 250_000;
    private static final String[] TYPES = {"view", "click", "search", "add_to_cart", "purchase", "login", "logout", "share"};
    private static final long START = Instant.parse("2024-03-01T00:00:00Z").getEpochSecond();

    private EventSampleData() {
    }

    static long write(long rows, long seed, Function<String, OutputStream> open) {
        SplittableRandom random = new SplittableRandom(seed);
        int users = (int) Math.max(20, Math.min(5_000_000, rows / 40));
        long[] clock = new long[users];
        for (int u = 0; u < users; u++) {
            clock[u] = START + random.nextLong(86_400);
        }
        int files = (int) Math.max(1, (rows + ROWS_PER_FILE - 1) / ROWS_PER_FILE);
        long written = 0;
        String previous = null;
        for (int f = 0; f < files; f++) {
            long inFile = Math.min(ROWS_PER_FILE, rows - written);
            try (Writer w = new BufferedWriter(new OutputStreamWriter(open.apply(String.format("events-%05d.jsonl", f)),
                    StandardCharsets.UTF_8), 1 << 16)) {
                for (long i = 0; i < inFile; i++) {
                    double p = random.nextDouble();
                    String line;
                    if (previous != null && p < 0.03) {
                        line = previous;
                    } else if (p < 0.04) {
                        line = malformed(random, written);
                    } else {
                        double x = random.nextDouble();
                        int u = (int) (x * x * x * users);
                        clock[u] += random.nextDouble() < 0.15 ? 1_800 + random.nextLong(6 * 3_600) : 1 + random.nextLong(600);
                        line = "{\"event_id\":\"e" + seed + "-" + written + "\",\"user_id\":\"" + user(u) + "\",\"timestamp\":\""
                                + Instant.ofEpochSecond(clock[u]) + "\",\"type\":\"" + TYPES[random.nextInt(TYPES.length)] + "\"}";
                        previous = line;
                    }
                    w.write(line);
                    w.write('\n');
                    written++;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return written;
    }

    private static String user(int u) {
        return String.format("u%07d", u);
    }

    private static String malformed(SplittableRandom random, long n) {
        return switch (random.nextInt(4)) {
            case 0 -> "{\"event_id\":\"bad-" + n + "\",\"user_id\":";
            case 1 -> "{\"event_id\":\"bad-" + n + "\",\"timestamp\":\"2024-03-01T00:00:00Z\",\"type\":\"view\"}";
            case 2 -> "{\"user_id\":\"" + user(random.nextInt(20)) + "\",\"timestamp\":\"2024-03-01T00:00:00Z\",\"type\":\"view\"}";
            default -> "{\"event_id\":\"bad-" + n + "\",\"user_id\":\"" + user(random.nextInt(20))
                    + "\",\"timestamp\":\"yesterday\",\"type\":\"view\"}";
        };
    }
}
