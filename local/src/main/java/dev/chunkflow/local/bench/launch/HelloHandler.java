package dev.chunkflow.local.bench.launch;

import java.util.Map;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;

/**
 * The floor of the cold-start benchmark: the smallest useful {@link RequestHandler} (a map in, a string
 * out), started exactly like the chunkflow handlers. It is not part of the deployed jar.
 */
public final class HelloHandler implements RequestHandler<Map<String, Object>, String> {
    @Override
    public String handleRequest(Map<String, Object> event, Context context) {
        return "hello, " + event.getOrDefault("name", "world");
    }
}
