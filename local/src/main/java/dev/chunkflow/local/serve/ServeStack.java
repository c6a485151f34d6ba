package dev.chunkflow.local.serve;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import dev.chunkflow.common.Json;
import dev.chunkflow.local.asl.ExecutionListener;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.LocalServices.LocalSetupException;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.sfn.ExecutionStore;
import dev.chunkflow.local.sfn.DeferredBackend;
import dev.chunkflow.local.sfn.LocalExecutions;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;
import dev.chunkflow.testkit.EmbeddedS3;

/**
 * {@code chunkflow serve}: template.yaml as a long-running local stack behind one loopback edge port.
 * A request goes where the credential scope of its SigV4 signature says (as LocalStack routes):
 * {@code states} to the local Step Functions, {@code lambda} to the functions, {@code s3} and
 * {@code dynamodb} through to the embedded servers, {@code cloudformation} to DescribeStacks; the
 * HTTP API's routes ({@code /jobs}...) and the console ({@code /_chunkflow/}) by path. Every request but
 * the console's must be signed with the local key pair ({@link #ACCESS_KEY}, {@link #SECRET_KEY}).
 */
public final class ServeStack implements AutoCloseable {
    public static final String ACCESS_KEY = EmbeddedS3.ACCESS_KEY;
    public static final String SECRET_KEY = EmbeddedS3.SECRET_KEY;
    public static final String DEFAULT_STACK_NAME = "chunkflow";

    private final HttpServer server;
    private final ExecutorService threads = Executors.newFixedThreadPool(64, r -> {
        Thread t = new Thread(r, "serve-edge");
        t.setDaemon(true);
        return t;
    });
    private final URI endpoint;
    private final String stackName;
    private LocalApp app;
    private volatile LocalExecutions executions;
    private LocalStepFunctionsEndpoint functionsSfn;
    private ServiceForwarder s3;
    private ServiceForwarder dynamoDb;
    private LambdaApi lambda;
    private CloudFormationApi cloudFormation;
    private HttpApiRoutes httpApi;
    private ConsoleApi console;

    private ServeStack(int port, String stackName) {
        this.stackName = stackName;
        if (port < 0 || port > 65535) {
            throw new LocalSetupException("--port: " + port + " is not a port number");
        }
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
        } catch (BindException e) {
            throw new LocalSetupException("--port: port " + port + " on 127.0.0.1 is already in use (pick another with --port)");
        } catch (IOException e) {
            throw new LocalSetupException("--port: cannot listen on 127.0.0.1:" + port + ": " + e.getMessage());
        }
        endpoint = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    /** Binds the edge port, brings the template up under {@code stateDir} and starts answering. */
    public static ServeStack start(Path repoRoot, Path stateDir, int port, int s3Port, int ddbPort, String stackName) {
        return start(repoRoot, stateDir, port, s3Port, ddbPort, stackName, Map.of());
    }

    /** @param parameterOverrides template parameter values over their defaults (e.g. OffloadThresholdBytes) */
    public static ServeStack start(Path repoRoot, Path stateDir, int port, int s3Port, int ddbPort, String stackName,
                                   Map<String, String> parameterOverrides) {
        ServeStack s = new ServeStack(port, stackName);
        try {
            // The functions' own Step Functions calls (StartJob) get an endpoint of their own: were they to come
            // back through the edge port, requests waiting on them could hold every edge thread.
            DeferredBackend functionsBackend = new DeferredBackend();
            s.functionsSfn = new LocalStepFunctionsEndpoint(functionsBackend);
            s.app = LocalApp.start(repoRoot, stateDir, parameterOverrides, Map.of("AWS_ENDPOINT_URL_SFN", s.functionsSfn.endpoint().toString()),
                    s3Port, ddbPort, null);
            s.executions = new LocalExecutions(s.app.stateMachineArn(PipelineRun.STATE_MACHINE),
                    s.app.definition(PipelineRun.STATE_MACHINE), PipelineRun.engines(s.app, 1.0, ExecutionListener.NONE),
                    new ExecutionStore(stateDir), PipelineRun.statusEvents(s.app));
            functionsBackend.bind(s.executions);
        } catch (IOException e) {
            s.close();
            throw new LocalSetupException("cannot start the functions' Step Functions endpoint: " + e.getMessage());
        } catch (RuntimeException e) {
            s.close();
            throw e;
        }
        s.s3 = new ServiceForwarder(URI.create(s.app.aws().env().require("AWS_ENDPOINT_URL_S3")));
        s.dynamoDb = new ServiceForwarder(URI.create(s.app.aws().env().require("AWS_ENDPOINT_URL_DYNAMODB")));
        s.lambda = new LambdaApi(s.app);
        s.cloudFormation = new CloudFormationApi(s.app, stackName, s.endpoint.toString());
        s.httpApi = new HttpApiRoutes(s.app, SECRET_KEY);
        s.console = new ConsoleApi(s.app, s.executions);
        s.server.createContext("/", s::handle);
        s.server.setExecutor(s.threads);
        s.server.start();
        return s;
    }

    public URI endpoint() {
        return endpoint;
    }

    public LocalApp app() {
        return app;
    }

    public LocalExecutions executions() {
        return executions;
    }

    public String stackName() {
        return stackName;
    }

    /** Overrides the HTTP API's route throttle read from the template (burst requests, rate per second). */
    public void httpApiThrottle(int burst, double rate) {
        httpApi.throttle(burst, rate);
    }

    public Map<String, String> outputs() {
        return cloudFormation.outputs();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            Request r = new Request(exchange);
            route(r);
        } catch (RuntimeException e) {
            byte[] body = Json.bytes(Map.of("__type", "InternalFailure", "message", String.valueOf(e.getMessage())));
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(500, body.length);
            exchange.getResponseBody().write(body);
        } finally {
            exchange.close();
        }
    }

    private void route(Request r) throws IOException {
        if (r.rawPath.equals("/_chunkflow") || r.rawPath.startsWith("/_chunkflow/")) {
            console.handle(r);
            return;
        }
        String service = r.credential.map(SigV4.Credential::service).orElse(null);
        if (httpApi.owns(r.rawPath) && (service == null || service.equals("execute-api"))) {
            httpApi.handle(r);
            return;
        }
        if (service == null) {
            if (r.query("X-Amz-Credential") != null) {
                s3.forward(r); // a presigned URL: the S3 server checks it
            } else {
                r.json(403, Map.of("message", "Missing Authentication Token"));
            }
            return;
        }
        if (service.equals("s3")) {
            s3.forward(r); // the S3 server verifies S3's own signature flavour (payload hashes, chunked uploads)
            return;
        }
        if (!signatureOk(r, service)) {
            return;
        }
        switch (service) {
            case "states" -> {
                LocalStepFunctionsEndpoint.Reply reply = LocalStepFunctionsEndpoint.dispatch(executions, r.header("x-amz-target"), r.body);
                r.reply(reply.status(), "application/x-amz-json-1.0", Json.bytes(reply.body()), Map.of());
            }
            case "lambda" -> lambda.handle(r);
            case "dynamodb" -> dynamoDb.forward(r);
            case "cloudformation" -> cloudFormation.handle(r);
            default -> jsonError(r, 400, "UnknownService", "chunkflow serve does not emulate the service '" + service
                    + "' (it serves states, lambda, s3, dynamodb, cloudformation and the HTTP API)");
        }
    }

    /** The signature check every AWS service makes, answered in the service's own error shape. */
    private boolean signatureOk(Request r, String service) throws IOException {
        SigV4.Credential c = r.credential.orElseThrow();
        String code;
        String message;
        if (!c.accessKey().equals(ACCESS_KEY)) {
            code = service.equals("cloudformation") ? "InvalidClientTokenId" : "UnrecognizedClientException";
            message = "The security token included in the request is invalid. (chunkflow serve accepts the access key "
                    + ACCESS_KEY + ")";
        } else if (!r.signedBy(SECRET_KEY)) {
            code = service.equals("cloudformation") ? "SignatureDoesNotMatch" : "InvalidSignatureException";
            message = "The request signature we calculated does not match the signature you provided. "
                    + "Check your AWS Secret Access Key and signing method.";
        } else {
            return true;
        }
        switch (service) {
            case "cloudformation" -> CloudFormationApi.error(r, 403, code, message);
            case "lambda" -> LambdaApi.error(r, 403, code, message);
            default -> jsonError(r, 400, code, message);
        }
        return false;
    }

    private static void jsonError(Request r, int status, String type, String message) throws IOException {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("__type", type);
        body.put("message", message);
        r.reply(status, "application/x-amz-json-1.0", Json.bytes(body), Map.of());
    }

    /** What {@code serve} prints: endpoint, ARNs, and commands to paste. */
    public String banner(Path stateDir) {
        String url = endpoint.toString();
        String smArn = executions.stateMachineArn();
        StringBuilder b = new StringBuilder();
        b.append(String.format("chunkflow serve: %s  (state in %s)%n%n", url, stateDir.toAbsolutePath().normalize()));
        b.append(String.format("  stack            %s  (DescribeStacks answers its Outputs)%n", stackName));
        b.append(String.format("  state machine    %s%n", smArn));
        b.append(String.format("  functions        %s  (by name or ARN, alias live)%n", String.join(", ", app.functions().keySet())));
        b.append(String.format("  data bucket      s3://%s%n", app.bucket()));
        b.append(String.format("  jobs table       %s%n", app.table()));
        b.append(String.format("  HTTP API         %s/jobs  (SigV4 for service execute-api; burst %d, %s req/s)%n", url,
                httpApi.burst(), trim(httpApi.rate())));
        b.append(String.format("  console          %s/_chunkflow/%n%n", url));
        b.append("Credentials the edge port accepts (it checks signatures as AWS does):\n");
        b.append(String.format("  export AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s AWS_DEFAULT_REGION=%s%n%n", ACCESS_KEY,
                SECRET_KEY, dev.chunkflow.local.lambda.LocalArns.REGION));
        b.append("Try:\n");
        String stackArg = stackName.equals(DEFAULT_STACK_NAME) ? "" : " --stack-name " + stackName;
        b.append(String.format("  scripts/start-execution.sh --endpoint-url %s%s --upload --rows 20000 --poll-seconds 1%n", url, stackArg));
        b.append(String.format("  aws --endpoint-url %s stepfunctions list-executions --state-machine-arn %s%n", url, smArn));
        b.append(String.format("  aws --endpoint-url %s lambda invoke --function-name GetJobFunction --payload file://events/get-job.json out.json%n", url));
        b.append(String.format("  aws --endpoint-url %s s3 ls s3://%s/ --recursive%n", url, app.bucket()));
        b.append(String.format("  aws --endpoint-url %s dynamodb scan --table-name %s --max-items 5%n", url, app.table()));
        b.append(String.format("  curl --aws-sigv4 aws:amz:%s:execute-api --user %s:%s %s/jobs/JOB_ID%n%n",
                dev.chunkflow.local.lambda.LocalArns.REGION, ACCESS_KEY, SECRET_KEY, url));
        b.append("Ctrl-C stops it; executions, objects and items stay in the state directory.\n");
        return b.toString();
    }

    private static String trim(double d) {
        return d == Math.rint(d) ? String.valueOf((long) d) : String.valueOf(d);
    }


    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        if (functionsSfn != null) {
            functionsSfn.close();
        }
        if (executions != null) {
            executions.close();
        }
        if (app != null) {
            try {
                app.close();
            } catch (Exception e) {
                throw new IllegalStateException("stopping the embedded services: " + e.getMessage(), e);
            }
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
