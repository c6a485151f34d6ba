package dev.chunkflow.testkit;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension: {@code @ExtendWith(AwsExtension.class)} and take an {@link EmbeddedAws} parameter.
 * One instance is started per test JVM (lazily, on first use) and stopped when the run ends, so the
 * servers' start-up is paid once. Tests isolate themselves by job id / key prefix, not by server.
 */
public final class AwsExtension implements ParameterResolver {
    private static final ExtensionContext.Namespace NS = ExtensionContext.Namespace.create(AwsExtension.class);

    @Override
    public boolean supportsParameter(ParameterContext p, ExtensionContext c) {
        return p.getParameter().getType() == EmbeddedAws.class;
    }

    @Override
    public Object resolveParameter(ParameterContext p, ExtensionContext c) {
        return c.getRoot().getStore(NS)
                .getOrComputeIfAbsent("aws", k -> new Holder(), Holder.class).aws;
    }

    private static final class Holder implements ExtensionContext.Store.CloseableResource, AutoCloseable {
        final EmbeddedAws aws;

        Holder() {
            try {
                aws = EmbeddedAws.inMemory();
            } catch (Exception e) {
                throw new IllegalStateException("could not start the embedded S3 and DynamoDB servers", e);
            }
        }

        @Override
        public void close() throws Exception {
            aws.close();
        }
    }
}
