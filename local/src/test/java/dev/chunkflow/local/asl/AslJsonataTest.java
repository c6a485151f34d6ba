package dev.chunkflow.local.asl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/** JSONata states, the functions AWS adds, variables (order, scope, limits) and definition-time rejections. */
class AslJsonataTest {
    private static ExecutionResult run(String definition, String input) {
        return run(definition, input, Limits.aws());
    }

    private static ExecutionResult run(String definition, String input, Limits limits) {
        try (AslEngine engine = AslEngine.builder().lambdaInvoker(LambdaInvoker.identity()).limits(limits).recordHistory(true)
                .timeSource(TimeSource.virtual(Instant.parse("2026-01-01T00:00:00Z"))).build()) {
            return engine.execute(StateMachine.parse(definition), input, "test");
        }
    }

    /** A JSONata machine with one Pass state whose Output is {@code output}. */
    private static JsonNode output(String output, String input) {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":%s,"End":true}}}""".formatted(output), input);
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.error() + ": " + r.cause());
        return r.output();
    }

    private static DefinitionException rejected(String definition) {
        return assertThrows(DefinitionException.class, () -> StateMachine.parse(definition));
    }

    @ParameterizedTest
    @ValueSource(strings = {"InputPath", "Parameters", "ResultSelector", "ResultPath", "OutputPath"})
    void jsonPathFieldsAreRejectedInJsonataStatesNamingStateAndField(String field) {
        String value = field.equals("Parameters") || field.equals("ResultSelector") ? "{}" : "\"$\"";
        DefinitionException e = rejected("""
                {"QueryLanguage":"JSONata","StartAt":"Work","States":{"Work":{"Type":"Task",
                 "Resource":"arn:aws:lambda:us-east-1:123456789012:function:F","%s":%s,"End":true}}}""".formatted(field, value));
        assertTrue(e.getMessage().contains("state 'Work', field '" + field + "'"), e.getMessage());
        assertTrue(e.getMessage().contains("JSONata"), e.getMessage());
    }

    @Test
    void jsonataFieldsAreRejectedInJsonPathStatesAndBadExpressionsAtLoadTime() {
        DefinitionException output = rejected("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Output":{},"End":true}}}""");
        assertTrue(output.getMessage().contains("state 'P', field 'Output'"), output.getMessage());
        DefinitionException syntax = rejected("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"a":"{% 1 + %}"},"End":true}}}""");
        assertTrue(syntax.getMessage().contains("state 'P', field 'Output'"), syntax.getMessage());
        DefinitionException language = rejected("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","QueryLanguage":"XPath","End":true}}}""");
        assertTrue(language.getMessage().contains("field 'QueryLanguage'"), language.getMessage());
        DefinitionException reader = rejected("""
                {"QueryLanguage":"JSONata","StartAt":"M","States":{"M":{"Type":"Map","ItemReader":{"Resource":"arn:aws:states:::s3:getObject",
                 "Parameters":{"Bucket":"b","Key":"k"}},"ItemProcessor":{"ProcessorConfig":{"Mode":"DISTRIBUTED","ExecutionType":"EXPRESS"},
                 "StartAt":"P","States":{"P":{"Type":"Pass","End":true}}},"End":true}}}""");
        assertTrue(reader.getMessage().contains("state 'M', field 'ItemReader.Parameters'"), reader.getMessage());
        DefinitionException result = rejected("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":{"r":"{% $states.result %}"},"End":true}}}""");
        assertTrue(result.getMessage().contains("state 'P', field 'Output': $states.result is not available here"), result.getMessage());
        DefinitionException errorOutput = rejected("""
                {"QueryLanguage":"JSONata","StartAt":"T","States":{"T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:F",
                 "Assign":{"e":"{% $states.errorOutput.Error %}"},"End":true}}}""");
        assertTrue(errorOutput.getMessage().contains("state 'T', field 'Assign': $states.errorOutput is not available here"),
                errorOutput.getMessage());
        DefinitionException name = rejected("""
                {"StartAt":"P","States":{"P":{"Type":"Pass","Assign":{"x.y":1},"End":true}}}""");
        assertTrue(name.getMessage().contains("'x.y' is not a valid variable name"), name.getMessage());
    }

    @Test
    void anInnerScopeCannotAssignAVariableOfAnOuterScope() {
        DefinitionException e = rejected("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Assign":{"count":0},"Next":"M"},
                 "M":{"Type":"Map","ItemProcessor":{"StartAt":"In","States":{"In":{"Type":"Pass","Assign":{"count":1},"End":true}}},"End":true}}}""");
        assertTrue(e.getMessage().contains("state 'In', field 'Assign': variable 'count'"), e.getMessage());
    }

    @Test
    void assignAndOutputBothSeeTheValuesOfStateEntry() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"Init","States":{
                 "Init":{"Type":"Pass","Assign":{"x":3,"a":6},"Next":"Swap"},
                 "Swap":{"Type":"Pass","Assign":{"x":"{% $a %}","nextX":"{% $x %}"},"Output":{"xInOutput":"{% $x %}"},"Next":"Read"},
                 "Read":{"Type":"Pass","Output":{"x":"{% $x %}","nextX":"{% $nextX %}","before":"{% $states.input.xInOutput %}"},"End":true}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
        assertEquals("{\"x\":6,\"nextX\":3,\"before\":3}", AslJson.write(r.output()));
    }

    @Test
    void mapIterationsReadOuterVariablesAndTheirOwnVariablesGoOutOfScope() {
        String def = """
                {"QueryLanguage":"JSONata","StartAt":"Init","States":{
                 "Init":{"Type":"Pass","Assign":{"factor":10},"Next":"M"},
                 "M":{"Type":"Map","Items":[1,2,3],"ItemProcessor":{"StartAt":"Mul","States":{
                   "Mul":{"Type":"Pass","Assign":{"inner":"{% $states.input * $factor %}"},"Next":"Out"},
                   "Out":{"Type":"Pass","Output":"{% $inner %}","End":true}}},"Next":"After"},
                 "After":{"Type":"Pass","Output":"{% $inner %}","End":true}}}""";
        ExecutionResult r = run(def, "{}");
        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals(StatesFailure.QUERY_EVALUATION_ERROR, r.error());
        assertEquals("An error occurred while executing the state 'After' (entered at the event id #" + enteredId(r, "After")
                + "). The JSONata expression '$inner' specified for the field 'Output' returned nothing (undefined).", r.cause());
        JsonNode mapOutput = AslJson.parse(exited(r, "M").path("output").asText());
        assertEquals("[10,20,30]", AslJson.write(mapOutput));
    }

    @Test
    void parallelBranchesGetArgumentsAndACatchAssignsInTheScopeOfTheFailedState() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"Init","States":{
                 "Init":{"Type":"Pass","Assign":{"base":100},"Next":"Par"},
                 "Par":{"Type":"Parallel","Arguments":{"n":"{% $states.input.n %}"},"Branches":[
                   {"StartAt":"A","States":{"A":{"Type":"Pass","Output":"{% $states.input.n + $base %}","End":true}}},
                   {"StartAt":"B","States":{"B":{"Type":"Fail","Error":"Boom","Cause":"{% 'branch saw ' & $string($base) %}"}}}],
                  "Catch":[{"ErrorEquals":["Boom"],"Assign":{"failedWith":"{% $states.errorOutput.Cause %}"},"Next":"Done"}],"End":true},
                 "Done":{"Type":"Pass","Output":{"failedWith":"{% $failedWith %}","input":"{% $states.input %}"},"End":true}}}""", "{\"n\":1}");
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
        assertEquals("{\"failedWith\":\"branch saw 100\",\"input\":{\"Error\":\"Boom\",\"Cause\":\"branch saw 100\"}}",
                AslJson.write(r.output()));
    }

    @Test
    void jsonPathStatesReadVariablesThroughDollarNamePaths() {
        ExecutionResult r = run("""
                {"StartAt":"Init","States":{
                 "Init":{"Type":"Pass","Result":{"order":{"id":"o-1","lines":[{"sku":"a"},{"sku":"b"}]}},"Assign":{"order.$":"$.order"},"Next":"Use"},
                 "Use":{"Type":"Pass","Parameters":{"id.$":"$order.id","second.$":"$order.lines[1].sku",
                   "text.$":"States.Format('order {}', $order.id)"},"End":true}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
        assertEquals("{\"id\":\"o-1\",\"second\":\"b\",\"text\":\"order o-1\"}", AslJson.write(r.output()));
    }

    @Test
    void queryEvaluationErrorsAreCaughtWithErrorOutputAndCatcherAssignInTheStateScope() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"T","States":{
                 "T":{"Type":"Task","Resource":"arn:aws:lambda:us-east-1:123456789012:function:F","Arguments":"{% $states.input.nope %}",
                  "Catch":[{"ErrorEquals":["States.QueryEvaluationError"],"Assign":{"lastError":"{% $states.errorOutput.Error %}"},
                   "Output":{"caught":"{% $states.errorOutput.Error %}"},"Next":"After"}],"End":true},
                 "After":{"Type":"Pass","Output":{"caught":"{% $states.input.caught %}","variable":"{% $lastError %}"},"End":true}}}""", "{}");
        assertEquals(ExecutionStatus.SUCCEEDED, r.status(), r.cause());
        assertEquals("{\"caught\":\"States.QueryEvaluationError\",\"variable\":\"States.QueryEvaluationError\"}", AslJson.write(r.output()));
    }

    @Test
    void awsAddedFunctionsWorkAndEvalIsBanned() {
        assertEquals("[[1,2],[3]]", AslJson.write(output("\"{% $partition([1,2,3], 2) %}\"", "{}")));
        assertEquals("[10,7,4]", AslJson.write(output("\"{% $range(10, 4, -3) %}\"", "{}")));
        assertEquals("\"a591a6d40bf420404a011733cfb7b190d62c65bf0bcda32b57b277d9ad9f146e\"",
                AslJson.write(output("\"{% $hash('Hello World', 'SHA-256') %}\"", "{}")));
        JsonNode seeded = output("{\"a\":\"{% $random(42) %}\",\"b\":\"{% $random(42) %}\",\"c\":\"{% $random() %}\"}", "{}");
        assertEquals(seeded.get("a"), seeded.get("b"));
        assertTrue(seeded.get("c").doubleValue() >= 0 && seeded.get("c").doubleValue() < 1);
        JsonNode uuids = output("[\"{% $uuid() %}\",\"{% $uuid() %}\"]", "{}");
        assertTrue(uuids.get(0).asText().matches("[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}"), uuids.toString());
        assertNotEquals(uuids.get(0), uuids.get(1));
        assertEquals("{\"n\":[1,2.5,null]}", AslJson.write(output("\"{% $parse($states.input.text) %}\"", "{\"text\":\"{\\\"n\\\":[1,2.5,null]}\"}")));
        assertEquals("{\"sum\":6,\"avg\":2,\"isNull\":true}", AslJson.write(output(
                "{\"sum\":\"{% $sum([1,2,3]) %}\",\"avg\":\"{% $average([1,2,3]) %}\",\"isNull\":\"{% $states.input.v = null %}\"}", "{\"v\":null}")));
        assertEquals("{\"now\":\"2026-01-01T00:00:00.000Z\",\"millis\":1767225600000}",
                AslJson.write(output("{\"now\":\"{% $now() %}\",\"millis\":\"{% $millis() %}\"}", "{}")), "on the engine's (virtual) clock");
        ExecutionResult eval = run("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass","Output":"{% $eval('1+1') %}","End":true}}}""", "{}");
        assertEquals(StatesFailure.QUERY_EVALUATION_ERROR, eval.error());
        assertTrue(eval.cause().contains("$eval is not supported"), eval.cause());
    }

    @Test
    void endlessRecursionFailsTheStateInsteadOfHangingTheEngine() {
        ExecutionResult r = run("""
                {"QueryLanguage":"JSONata","StartAt":"P","States":{"P":{"Type":"Pass",
                 "Output":"{% ($f := function($x){ 1 + $f($x) }; $f(1)) %}","End":true}}}""", "{}");
        assertEquals(StatesFailure.QUERY_EVALUATION_ERROR, r.error());
        assertTrue(r.cause().contains("specified for the field 'Output' threw an error during evaluation"), r.cause());
    }

    @Test
    void historyShowsTheVariablesEachStateAssigned() {
        ExecutionResult r = run("""
                {"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"n":1},"Assign":{"count.$":"$.n","name":"job"},"End":true}}}""", "{}");
        JsonNode details = exited(r, "A");
        assertEquals("1", details.path("assignedVariables").path("count").asText());
        assertEquals("\"job\"", details.path("assignedVariables").path("name").asText());
        assertEquals(false, details.path("assignedVariablesDetails").path("truncated").booleanValue());
    }

    @Test
    void variableSizeLimitsFailTheExecutionWhenEnforcedAndAreReportedOtherwise() {
        String def = """
                {"QueryLanguage":"JSONata","StartAt":"A","States":{
                 "A":{"Type":"Pass","Assign":{"big":"{% $join($map([1..200], function($i){'0123456789'}), '') %}"},"End":true}}}""";
        Limits small = Limits.aws().withVariableBytes(1000, 1000, 10_000);
        ExecutionResult r = run(def, "{}", small);
        assertEquals(ExecutionStatus.FAILED, r.status());
        assertEquals(StatesFailure.RUNTIME, r.error());
        assertTrue(r.cause().contains("'big' has a size of 2002 bytes"), r.cause());
        assertEquals(List.of("VARIABLE_SIZE"), r.stats().limitViolations().stream().map(LimitViolation::limit).toList());

        ExecutionResult reported = run(def, "{}", small.reportOnly());
        assertEquals(ExecutionStatus.SUCCEEDED, reported.status());
        assertTrue(reported.stats().limitViolations().stream().noneMatch(LimitViolation::enforced));

        String manyStates = """
                {"QueryLanguage":"JSONata","StartAt":"A","States":{
                 "A":{"Type":"Pass","Assign":{"a":"{% $pad('', 900, 'x') %}"},"Next":"B"},
                 "B":{"Type":"Pass","Assign":{"b":"{% $pad('', 900, 'x') %}"},"End":true}}}""";
        ExecutionResult total = run(manyStates, "{}", Limits.aws().withVariableBytes(1000, 1000, 1500));
        assertEquals(ExecutionStatus.FAILED, total.status());
        assertTrue(total.cause().contains("total size of 1804 bytes"), total.cause());
    }

    private static JsonNode exited(ExecutionResult r, String state) {
        return r.history().stream().filter(e -> e.type().endsWith("StateExited") && e.details().path("name").asText().equals(state))
                .findFirst().orElseThrow().details();
    }

    private static long enteredId(ExecutionResult r, String state) {
        return r.history().stream().filter(e -> e.type().endsWith("StateEntered") && e.details().path("name").asText().equals(state))
                .findFirst().orElseThrow().id();
    }
}
