package dev.chunkflow.local.template;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SamTemplateTest {

    private static final String TEMPLATE = """
            AWSTemplateFormatVersion: 2010-09-09
            Transform: AWS::Serverless-2016-10-31
            Parameters:
              Threshold:
                Type: Number
                Default: 1000
            Globals:
              Function:
                Runtime: java21
                Architectures: [arm64]
                CodeUri: functions/
                MemorySize: 1024
                Timeout: 30
                AutoPublishAlias: live
                SnapStart:
                  ApplyOn: PublishedVersions
                LoggingConfig:
                  LogFormat: JSON
                Environment:
                  Variables:
                    SHARED: from-globals
                    OVERRIDDEN: from-globals
            Resources:
              Bucket:
                Type: AWS::S3::Bucket
              Table:
                Type: AWS::DynamoDB::Table
                Properties:
                  TableName: jobs
                  KeySchema:
                    - AttributeName: job_id
                      KeyType: HASH
              PlanFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: dev.example.PlanHandler::handleRequest
                  MemorySize: 3008
                  LoggingConfig:
                    LogGroup: !Ref PlanLogs
                  Environment:
                    Variables:
                      OVERRIDDEN: local
                      BUCKET: !Ref Bucket
                      TABLE_ARN: !GetAtt Table.Arn
                      LIMIT: !Ref Threshold
                      PREFIX: !Sub "${AWS::StackName}-${Bucket}/${Table.Arn}/${!Literal}"
                      FLAG: true
              WorkFunction:
                Type: AWS::Serverless::Function
                Properties:
                  Handler: dev.example.WorkHandler
                  Timeout: 300
              Machine:
                Type: AWS::Serverless::StateMachine
                Properties:
                  Name: !Sub ${AWS::StackName}-m
                  DefinitionUri: machines/m.asl.json
                  DefinitionSubstitutions:
                    PlanArn: !Ref PlanFunction.Alias
                    WorkArn: !GetAtt WorkFunction.Arn
                    BucketName: !Ref Bucket
                    Literal: plain
            """;

    private static final TemplateValue.Resolver RESOLVER = new TemplateValue.Resolver() {
        @Override
        public String ref(String name) {
            return switch (name) {
                case "Bucket" -> "local-bucket";
                case "Threshold" -> "1000";
                case "AWS::StackName" -> "stack";
                case "PlanFunction.Alias" -> "arn:plan:live";
                default -> throw new IllegalArgumentException(name);
            };
        }

        @Override
        public String getAtt(String logicalId, String attribute) {
            return "arn:" + logicalId + ":" + attribute;
        }
    };

    @Test
    void mergesGlobalsIntoEveryFunction() {
        SamTemplate t = SamTemplate.parse(TEMPLATE, Path.of("/repo"));
        FunctionDef plan = t.function("PlanFunction").orElseThrow();
        assertEquals("dev.example.PlanHandler", plan.handlerClass());
        assertEquals("handleRequest", plan.handlerMethod());
        assertEquals("java21", plan.runtime());
        assertEquals(List.of("arm64"), plan.architectures());
        assertEquals("functions/", plan.codeUri());
        assertEquals(3008, plan.memorySizeMb(), "the resource's scalar wins");
        assertEquals(30, plan.timeoutSeconds(), "the global fills what the resource does not set");
        assertEquals(Optional.of("live"), plan.autoPublishAlias());
        assertEquals(Optional.of("PublishedVersions"), plan.snapStartApplyOn());
        @SuppressWarnings("unchecked")
        Map<String, Object> logging = (Map<String, Object>) plan.properties().get("LoggingConfig");
        assertEquals("JSON", logging.get("LogFormat"), "maps merge key by key");
        assertEquals(Map.of("Ref", "PlanLogs"), logging.get("LogGroup"));

        FunctionDef work = t.function("WorkFunction").orElseThrow();
        assertEquals("handleRequest", work.handlerMethod(), "a handler without ::method means handleRequest");
        assertEquals(1024, work.memorySizeMb());
        assertEquals(300, work.timeoutSeconds());
        assertEquals(Map.of("SHARED", new TemplateValue.Literal("from-globals"),
                "OVERRIDDEN", new TemplateValue.Literal("from-globals")), work.environment());
    }

    @Test
    void keepsEnvironmentIntrinsicsSymbolicAndRendersThemOnDemand() {
        FunctionDef plan = SamTemplate.parse(TEMPLATE, Path.of("/repo")).function("PlanFunction").orElseThrow();
        Map<String, TemplateValue> env = plan.environment();
        assertEquals(new TemplateValue.Literal("from-globals"), env.get("SHARED"));
        assertEquals(new TemplateValue.Literal("local"), env.get("OVERRIDDEN"));
        assertEquals(new TemplateValue.Ref("Bucket"), env.get("BUCKET"));
        assertEquals(new TemplateValue.GetAtt("Table", "Arn"), env.get("TABLE_ARN"));
        assertEquals(new TemplateValue.Ref("Threshold"), env.get("LIMIT"));
        assertEquals(new TemplateValue.Literal("true"), env.get("FLAG"));
        TemplateValue.Sub sub = assertInstanceOf(TemplateValue.Sub.class, env.get("PREFIX"));
        assertEquals(List.of("AWS::StackName", "Bucket", "Table.Arn"), sub.placeholders());

        Map<String, String> rendered = plan.renderEnvironment(RESOLVER);
        assertEquals("local-bucket", rendered.get("BUCKET"));
        assertEquals("arn:Table:Arn", rendered.get("TABLE_ARN"));
        assertEquals("1000", rendered.get("LIMIT"));
        assertEquals("stack-local-bucket/arn:Table:Arn/${Literal}", rendered.get("PREFIX"));
    }

    @Test
    void mapsDefinitionSubstitutionsToFunctions() {
        SamTemplate t = SamTemplate.parse(TEMPLATE, Path.of("/repo"));
        StateMachineDef m = t.stateMachine("Machine").orElseThrow();
        assertEquals(Path.of("/repo/machines/m.asl.json"), m.definitionPath());
        assertEquals(new TemplateValue.Ref("PlanFunction.Alias"), m.substitutions().get("PlanArn"));
        assertEquals(Optional.of("PlanFunction"), t.functionForSubstitution("PlanArn"));
        assertEquals(Optional.of("WorkFunction"), t.functionForSubstitution("WorkArn"));
        assertEquals("dev.example.WorkHandler",
                t.functionDefForSubstitution("WorkArn").orElseThrow().handlerClass());
        assertEquals(Optional.empty(), t.functionForSubstitution("BucketName"), "a bucket is not a function");
        assertEquals(Optional.of("Bucket"), m.referencedLogicalId("BucketName"));
        assertEquals(Optional.empty(), t.functionForSubstitution("Literal"));
        assertEquals(Optional.empty(), t.functionForSubstitution("Missing"));
    }

    @Test
    void readsBucketsTablesAndParameters() {
        SamTemplate t = SamTemplate.parse(TEMPLATE, Path.of("/repo"));
        assertEquals(new BucketDef("Bucket", Optional.empty()), t.buckets().get("Bucket"));
        assertEquals(new TableDef("Table", Optional.of("jobs"), "job_id", Optional.empty()), t.tables().get("Table"));
        assertEquals(Optional.of("1000"), t.parameters().get("Threshold").defaultValue());
        assertEquals("2010-09-09", t.raw().get("AWSTemplateFormatVersion"), "timestamps stay text");
    }

    @Test
    void rendersADefinitionAndRefusesAPlaceholderWithoutValue(@TempDir Path dir) throws Exception {
        Files.createDirectories(dir.resolve("machines"));
        Files.writeString(dir.resolve("machines/m.asl.json"),
                "{\"a\":\"${PlanArn}\",\"b\":\"${WorkArn}\",\"c\":\"${BucketName}\",\"d\":\"${Literal}\"}");
        Files.writeString(dir.resolve("template.yaml"), TEMPLATE);
        StateMachineDef m = SamTemplate.load(dir.resolve("template.yaml")).stateMachine("Machine").orElseThrow();
        assertEquals("{\"a\":\"arn:plan:live\",\"b\":\"arn:WorkFunction:Arn\",\"c\":\"local-bucket\",\"d\":\"plain\"}",
                m.renderDefinition(RESOLVER));
        TemplateException e = assertThrows(TemplateException.class,
                () -> StateMachineDef.substitute("{\"x\":\"${Nope}\"}", Map.of()));
        assertTrue(e.getMessage().contains("${Nope}"), e.getMessage());
    }

    @Test
    void globalsMergeFollowsSamRules() {
        assertEquals(List.of("a", "b"), SamTemplate.mergeGlobal(List.of("a"), List.of("b")), "lists are additive");
        assertEquals(Map.of("Ref", "X"), SamTemplate.mergeGlobal(Map.of("k", "v"), Map.of("Ref", "X")),
                "an intrinsic replaces, never merges");
        assertEquals(Map.of("k", "v", "j", "w"), SamTemplate.mergeGlobal(Map.of("k", "v"), Map.of("j", "w")));
        assertEquals(5, SamTemplate.mergeGlobal(3, 5));
    }

    @Test
    void rejectsBrokenTemplatesWithTheLocation() {
        String badHandler = TEMPLATE.replace("dev.example.WorkHandler", "not a handler");
        TemplateException e1 = assertThrows(TemplateException.class, () -> SamTemplate.parse(badHandler, Path.of(".")));
        assertTrue(e1.getMessage().startsWith("WorkFunction: Handler"), e1.getMessage());

        String noHandler = TEMPLATE.replace("      Handler: dev.example.WorkHandler\n", "");
        TemplateException e2 = assertThrows(TemplateException.class, () -> SamTemplate.parse(noHandler, Path.of(".")));
        assertTrue(e2.getMessage().contains("WorkFunction: Handler is required"), e2.getMessage());

        String duplicate = TEMPLATE.replace("      Timeout: 300\n", "      Timeout: 300\n      Timeout: 60\n");
        TemplateException e3 = assertThrows(TemplateException.class, () -> SamTemplate.parse(duplicate, Path.of(".")));
        assertTrue(e3.getMessage().contains("Timeout"), e3.getMessage());

        String badGetAtt = TEMPLATE.replace("!GetAtt Table.Arn", "!GetAtt TableArn");
        assertThrows(TemplateException.class, () -> SamTemplate.parse(badGetAtt, Path.of(".")));

        String noUri = TEMPLATE.replace("      DefinitionUri: machines/m.asl.json\n", "");
        TemplateException e4 = assertThrows(TemplateException.class, () -> SamTemplate.parse(noUri, Path.of(".")));
        assertTrue(e4.getMessage().contains("Machine: DefinitionUri"), e4.getMessage());
    }

    @Test
    void readsLongFormIntrinsicsLikeShortForm() {
        String longForm = TEMPLATE
                .replace("!Ref PlanFunction.Alias", "{\"Ref\": \"PlanFunction.Alias\"}")
                .replace("!GetAtt WorkFunction.Arn", "{\"Fn::GetAtt\": [WorkFunction, Arn]}");
        SamTemplate t = SamTemplate.parse(longForm, Path.of("/repo"));
        assertEquals(Optional.of("PlanFunction"), t.functionForSubstitution("PlanArn"));
        assertEquals(Optional.of("WorkFunction"), t.functionForSubstitution("WorkArn"));
        assertFalse(t.functions().isEmpty());
    }
}
