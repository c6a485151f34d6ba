package dev.chunkflow.local.checks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.reflect.Modifier;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.junit.jupiter.api.Test;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

import dev.chunkflow.aws.AwsClients;
import dev.chunkflow.local.template.FunctionDef;
import dev.chunkflow.local.template.SamTemplate;

/** Every Handler in template.yaml names a class that exists with the contract's interface and constructors. */
class HandlerClassesCheckTest {

    /** The handler contract (contracts.md): logical id -> class. */
    static final Map<String, String> CONTRACT = Map.of(
            "StartJobFunction", "dev.chunkflow.api.StartJobHandler",
            "GetJobFunction", "dev.chunkflow.api.GetJobHandler",
            "UpdateJobFunction", "dev.chunkflow.jobs.UpdateJobHandler",
            "GetChunksFunction", "dev.chunkflow.pipeline.plan.GetChunksHandler",
            "ProcessChunkFunction", "dev.chunkflow.pipeline.process.ProcessChunkHandler",
            "SummarizeFunction", "dev.chunkflow.pipeline.summarize.SummarizeHandler",
            "OrphanCollectorFunction", "dev.chunkflow.jobs.gc.OrphanCollectorHandler");

    static final List<String> HTTP_API_FUNCTIONS = List.of("StartJobFunction", "GetJobFunction");

    @Test
    void templateDeclaresExactlyTheContractedFunctions() {
        SamTemplate t = Repo.template();
        Map<String, String> declared = new TreeMap<>();
        t.functions().forEach((id, fn) -> declared.put(id, fn.handlerClass()));
        assertEquals(new TreeMap<>(CONTRACT), declared);
        t.functions().values().forEach(fn ->
                assertEquals("handleRequest", fn.handlerMethod(), fn.logicalId() + " handler method"));
    }

    @Test
    void everyHandlerClassExistsAndImplementsItsInterface() {
        List<String> problems = new ArrayList<>();
        for (FunctionDef fn : Repo.template().functions().values()) {
            Class<?> cls;
            try {
                cls = Class.forName(fn.handlerClass(), false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                problems.add(fn.logicalId() + ": class " + fn.handlerClass() + " does not exist");
                continue;
            }
            problems.addAll(check(fn, cls));
        }
        if (!problems.isEmpty()) {
            fail("template.yaml handlers do not match the code:\n  " + String.join("\n  ", problems));
        }
    }

    private static List<String> check(FunctionDef fn, Class<?> cls) {
        List<String> problems = new ArrayList<>();
        String id = fn.logicalId();
        if (!Modifier.isPublic(cls.getModifiers()) || Modifier.isAbstract(cls.getModifiers())) {
            problems.add(id + ": " + cls.getName() + " must be a public concrete class");
        }
        // Step Functions tasks and the HTTP API handlers alike: stream handlers (the API ones read the payload 2.0
        // event themselves, so the runtime's POJO serialization is not part of their cold start).
        String kind = HTTP_API_FUNCTIONS.contains(id) ? "HTTP API handler" : "Step Functions task";
        if (!RequestStreamHandler.class.isAssignableFrom(cls)) {
            problems.add(id + ": " + cls.getName() + " must implement RequestStreamHandler (" + kind + ")");
        }
        if (!hasPublicMethod(cls, fn.handlerMethod(), java.io.InputStream.class, java.io.OutputStream.class, Context.class)) {
            problems.add(id + ": no public " + fn.handlerMethod() + "(InputStream, OutputStream, Context)");
        }
        if (requestHandlerTypeArguments(cls) != null) {
            problems.add(id + ": " + cls.getName() + " must not also be a POJO RequestHandler");
        }
        if (!hasPublicConstructor(cls)) {
            problems.add(id + ": " + cls.getName() + " needs a public no-arg constructor (Lambda creates it)");
        }
        if (!hasPublicConstructor(cls, AwsClients.class)) {
            problems.add(id + ": " + cls.getName() + " needs a public (AwsClients) constructor (tests, local runner)");
        }
        return problems;
    }

    private static Type[] requestHandlerTypeArguments(Class<?> cls) {
        for (Class<?> c = cls; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Type t : c.getGenericInterfaces()) {
                if (t instanceof ParameterizedType pt && pt.getRawType().equals(RequestHandler.class)) {
                    return pt.getActualTypeArguments();
                }
            }
        }
        return null;
    }

    private static boolean hasPublicMethod(Class<?> cls, String name, Class<?>... params) {
        try {
            return Modifier.isPublic(cls.getMethod(name, params).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }

    private static boolean hasPublicConstructor(Class<?> cls, Class<?>... params) {
        try {
            return Modifier.isPublic(cls.getConstructor(params).getModifiers());
        } catch (NoSuchMethodException e) {
            return false;
        }
    }
}
