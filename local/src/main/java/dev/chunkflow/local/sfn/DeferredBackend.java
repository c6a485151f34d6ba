package dev.chunkflow.local.sfn;

import java.util.Map;

/**
 * The backend of a Step Functions endpoint that must exist before its executions do: the functions'
 * environment carries the endpoint's URL, and the executions need the functions. Until {@link #bind}
 * is called every call answers ServiceUnavailable.
 */
public final class DeferredBackend implements LocalStepFunctionsEndpoint.ExecutionBackend {
    private volatile LocalExecutions target;

    public void bind(LocalExecutions executions) {
        target = executions;
    }

    private LocalExecutions target() {
        LocalExecutions t = target;
        if (t == null) {
            throw new LocalStepFunctionsEndpoint.ServiceError("ServiceUnavailable", "the local engine is starting");
        }
        return t;
    }

    @Override
    public Map<String, Object> startExecution(String arn, String name, String input) {
        return target().startExecution(arn, name, input);
    }

    @Override
    public Map<String, Object> describeExecution(String arn) {
        return target().describeExecution(arn);
    }

    @Override
    public Map<String, Object> stopExecution(String arn, String error, String cause) {
        return target().stopExecution(arn, error, cause);
    }
}
