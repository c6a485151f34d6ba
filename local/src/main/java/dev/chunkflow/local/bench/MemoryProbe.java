package dev.chunkflow.local.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.NotificationEmitter;
import javax.management.openmbean.CompositeData;

import com.amazonaws.services.lambda.runtime.RequestStreamHandler;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.management.GarbageCollectionNotificationInfo;

import dev.chunkflow.pipeline.plan.GetChunksHandler;
import dev.chunkflow.common.Json;
import dev.chunkflow.common.Log;
import dev.chunkflow.pipeline.process.ProcessChunkHandler;

/**
 * One memory probe of section 4, in a JVM of its own (started by {@link Memory} with a chosen
 * {@code -Xmx}): runs a real handler, built as on Lambda from the environment (endpoints, bucket, table),
 * on one request, then prints one JSON line on stdout: {@code {ok, elapsed_ms, peak_heap_bytes,
 * max_after_gc_bytes, gcs, response}}. An OutOfMemoryError ends the JVM ({@code -XX:+ExitOnOutOfMemoryError}).
 *
 * <p>Usage: {@code MemoryProbe get_chunks|process_chunk '<request json>'}. Handler logs go to stderr.
 */
public final class MemoryProbe {
    private MemoryProbe() {
    }

    public static void main(String[] args) throws Exception {
        Log.redirect(System.err);
        AtomicLong maxAfterGc = new AtomicLong();
        AtomicLong gcs = new AtomicLong();
        watchGcs(maxAfterGc, gcs);
        RequestStreamHandler handler = switch (args[0]) {
            case "get_chunks" -> new GetChunksHandler();
            case "process_chunk" -> new ProcessChunkHandler();
            default -> throw new IllegalArgumentException("unknown handler " + args[0]);
        };
        long t0 = System.nanoTime();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        handler.handleRequest(new ByteArrayInputStream(args[1].getBytes(StandardCharsets.UTF_8)), out, null);
        long elapsedMs = (System.nanoTime() - t0) / 1_000_000;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        ObjectNode r = Json.MAPPER.createObjectNode();
        r.put("ok", true);
        r.put("elapsed_ms", elapsedMs);
        r.put("peak_heap_bytes", peak);
        r.put("max_after_gc_bytes", maxAfterGc.get());
        r.put("gcs", gcs.get());
        r.set("response", Json.MAPPER.readTree(out.toByteArray()));
        System.out.println(Json.MAPPER.writeValueAsString(r));
        System.out.flush();
        System.exit(0);
    }

    /** Heap in use right after each collection (all heap pools): the live set plus what the collector left. */
    private static void watchGcs(AtomicLong maxAfterGc, AtomicLong gcs) {
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            if (gc instanceof NotificationEmitter emitter) {
                emitter.addNotificationListener((n, handback) -> {
                    if (!GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION.equals(n.getType())) {
                        return;
                    }
                    GarbageCollectionNotificationInfo info = GarbageCollectionNotificationInfo.from((CompositeData) n.getUserData());
                    long used = 0;
                    for (var e : info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
                        if (isHeap(e.getKey())) {
                            MemoryUsage u = e.getValue();
                            used += u.getUsed();
                        }
                    }
                    gcs.incrementAndGet();
                    maxAfterGc.accumulateAndGet(used, Math::max);
                }, null, null);
            }
        }
    }

    private static boolean isHeap(String pool) {
        for (MemoryPoolMXBean p : ManagementFactory.getMemoryPoolMXBeans()) {
            if (p.getName().equals(pool)) {
                return p.getType() == MemoryType.HEAP;
            }
        }
        return false;
    }
}
