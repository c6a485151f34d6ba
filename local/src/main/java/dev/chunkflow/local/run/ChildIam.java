package dev.chunkflow.local.run;

import java.nio.file.Path;
import java.util.function.Supplier;

import dev.chunkflow.local.iam.IamEnforcement;
import dev.chunkflow.local.lambda.LocalArns;
import dev.chunkflow.local.template.SamTemplate;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * IAM enforcement inside a process-isolated environment: named in {@code CHUNKFLOW_SDK_INTERCEPTORS},
 * it reads the template ({@code CHUNKFLOW_IAM_TEMPLATE}) with the runner's resolved references
 * ({@code CHUNKFLOW_IAM_REFS}) and authorizes the handler's SDK calls against the function's role, as
 * {@link LocalApp} does for in-process functions.
 */
public final class ChildIam implements Supplier<ExecutionInterceptor> {
    static final String TEMPLATE = "CHUNKFLOW_IAM_TEMPLATE";
    static final String REFS = "CHUNKFLOW_IAM_REFS";

    @Override
    public ExecutionInterceptor get() {
        SamTemplate template = SamTemplate.load(Path.of(System.getenv(TEMPLATE)));
        IamEnforcement iam = IamEnforcement.fromTemplate(template, RecordedResolver.replaying(System.getenv(REFS)),
                LocalApp.STACK_NAME, LocalArns.REGION, LocalArns.ACCOUNT);
        return iam.interceptor(System.getenv("AWS_LAMBDA_FUNCTION_NAME"));
    }
}
