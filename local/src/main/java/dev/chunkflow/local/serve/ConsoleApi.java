package dev.chunkflow.local.serve;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ObjectNode;

import dev.chunkflow.local.asl.AslJson;
import dev.chunkflow.local.console.ConsoleData;
import dev.chunkflow.local.console.ConsolePage;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.sfn.LocalExecutions;

/** The console on the edge port: the page at {@code /_chunkflow/} and the JSON it polls under {@code /_chunkflow/api/}. */
final class ConsoleApi {
    private static final String EXECUTION = "/_chunkflow/api/executions/";

    private final LocalApp app;
    private final LocalExecutions executions;
    private final String page = ConsolePage.render(null);

    ConsoleApi(LocalApp app, LocalExecutions executions) {
        this.app = app;
        this.executions = executions;
    }

    void handle(Request r) throws IOException {
        if (!r.method.equals("GET") && !r.method.equals("HEAD")) {
            r.json(405, Map.of("message", "the console is read-only"));
            return;
        }
        if (r.rawPath.equals("/_chunkflow")) {
            r.reply(301, "text/plain", new byte[0], Map.of("Location", "/_chunkflow/"));
        } else if (r.rawPath.equals("/_chunkflow/") || r.rawPath.equals("/_chunkflow/index.html")) {
            r.reply(200, "text/html; charset=utf-8", page.getBytes(StandardCharsets.UTF_8), Map.of("Cache-Control", "no-store"));
        } else if (r.rawPath.equals("/_chunkflow/api/executions")) {
            send(r, ConsoleData.list(executions));
        } else if (r.rawPath.startsWith(EXECUTION)) {
            String name = URLDecoder.decode(r.rawPath.substring(EXECUTION.length()), StandardCharsets.UTF_8);
            ObjectNode data = name.matches("[A-Za-z0-9_-]{1,80}") ? ConsoleData.execution(app, executions, name) : null;
            if (data == null) {
                r.json(404, Map.of("message", "no execution named " + name));
            } else {
                send(r, data);
            }
        } else {
            r.json(404, Map.of("message", "Not Found"));
        }
    }

    private static void send(Request r, ObjectNode body) throws IOException {
        r.reply(200, "application/json", AslJson.bytes(body), Map.of("Cache-Control", "no-store"));
    }
}
