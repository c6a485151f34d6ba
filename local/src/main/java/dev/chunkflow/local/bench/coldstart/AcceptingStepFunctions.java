package dev.chunkflow.local.bench.coldstart;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.run.LocalApp;
import dev.chunkflow.local.run.PipelineRun;
import dev.chunkflow.local.sfn.LocalStepFunctionsEndpoint;

/** Step Functions for StartJob's cold start: accepts every StartExecution (nothing runs). */
final class AcceptingStepFunctions implements LocalStepFunctionsEndpoint.ExecutionBackend {
    static final String ARN_PREFIX = "arn:aws:states:" + LocalArns.REGION + ":" + LocalArns.ACCOUNT + ":execution:"
            + LocalApp.STACK_NAME + "-" + PipelineRun.STATE_MACHINE + ":";

    @Override
    public Map<String, Object> startExecution(String stateMachineArn, String name, String input) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("executionArn", ARN_PREFIX + name);
        m.put("startDate", System.currentTimeMillis() / 1000.0);
        return m;
    }

    @Override
    public Map<String, Object> describeExecution(String executionArn) {
        throw new LocalStepFunctionsEndpoint.ServiceError("ExecutionDoesNotExist", executionArn);
    }

    @Override
    public Map<String, Object> stopExecution(String executionArn, String error, String cause) {
        throw new LocalStepFunctionsEndpoint.ServiceError("ExecutionDoesNotExist", executionArn);
    }
}
