package dev.chunkflow.local.asl;

import com.fasterxml.jackson.databind.JsonNode;

final class MapState extends State {
    enum Mode { INLINE, DISTRIBUTED }

    final StatesBlock processor;
    final Mode mode;
    /** STANDARD or EXPRESS (Distributed only). */
    final String executionType;
    final String itemsPath;
    final PayloadTemplate itemSelector;
    final Integer maxConcurrency;
    final String maxConcurrencyPath;
    final Double toleratedFailurePercentage;
    final String toleratedFailurePercentagePath;
    final Integer toleratedFailureCount;
    final String toleratedFailureCountPath;
    final JsonNode itemReader;
    /** ItemReader.Parameters (JSONPath) or ItemReader.Arguments (JSONata). */
    final FieldValue itemReaderParameters;
    final JsonNode itemBatcher;
    final FieldValue batchInput;
    final JsonNode resultWriter;
    /** ResultWriter.Parameters (JSONPath) or ResultWriter.Arguments (JSONata). */
    final FieldValue resultWriterParameters;
    final String label;
    /** JSONata Map fields; null in a JSONPath state. Numeric fields given as expressions are here, literals above. */
    final JsonataFields jsonata;

    /** Items (default: the state input), ItemSelector, and MaxConcurrency / ToleratedFailure* given as {% %} expressions. */
    record JsonataFields(JsonataTemplate items, JsonataTemplate itemSelector, JsonataTemplate maxConcurrency,
                         JsonataTemplate toleratedFailurePercentage, JsonataTemplate toleratedFailureCount) {
    }

    MapState(String name, JsonNode def, QueryLanguage inherited) {
        // Parameters is the legacy name of ItemSelector: it is read below, not applied to the Map input.
        super(name, def, inherited, true, true, false, true);
        Fields f = new Fields(name, def);
        JsonNode proc = def.has("ItemProcessor") ? def.get("ItemProcessor") : def.get("Iterator");
        if (proc == null) {
            throw f.error("ItemProcessor", "is required");
        }
        if (def.has("ItemProcessor") && def.has("Iterator")) {
            throw f.error("Iterator", "cannot be used together with 'ItemProcessor'");
        }
        this.processor = StatesBlock.parse(proc, "state '" + name + "' ItemProcessor", inherited);
        JsonNode config = proc.get("ProcessorConfig");
        Fields cf = new Fields(name, config == null ? AslJson.NODES.objectNode() : config, "ItemProcessor.ProcessorConfig.");
        String m = cf.optString("Mode");
        this.mode = m == null ? Mode.INLINE : parseMode(cf, m);
        String et = cf.optString("ExecutionType");
        if (mode == Mode.DISTRIBUTED) {
            if (et == null || !(et.equals("STANDARD") || et.equals("EXPRESS"))) {
                throw cf.error("ExecutionType", "must be STANDARD or EXPRESS in DISTRIBUTED mode");
            }
        }
        this.executionType = et == null ? "STANDARD" : et;
        this.itemsPath = f.path("ItemsPath");
        if (def.has("ItemSelector") && def.has("Parameters")) {
            throw f.error("Parameters", "cannot be used together with 'ItemSelector'");
        }
        boolean jsonataState = ql == QueryLanguage.JSONATA;
        this.jsonata = jsonataState ? new JsonataFields(f.jsonata("Items"), f.jsonata("ItemSelector"),
                expression(def, "MaxConcurrency") ? f.jsonata("MaxConcurrency") : null,
                expression(def, "ToleratedFailurePercentage") ? f.jsonata("ToleratedFailurePercentage") : null,
                expression(def, "ToleratedFailureCount") ? f.jsonata("ToleratedFailureCount") : null) : null;
        this.itemSelector = jsonataState ? null : def.has("ItemSelector") ? f.template("ItemSelector") : f.template("Parameters");
        this.maxConcurrency = def.has("MaxConcurrency") && !expression(def, "MaxConcurrency") ? f.integer("MaxConcurrency", 0, 0) : null;
        this.maxConcurrencyPath = def.has("MaxConcurrencyPath") ? f.path("MaxConcurrencyPath") : null;
        this.toleratedFailurePercentage = expression(def, "ToleratedFailurePercentage") ? null : f.number("ToleratedFailurePercentage", 0, 100);
        this.toleratedFailurePercentagePath = def.has("ToleratedFailurePercentagePath") ? f.path("ToleratedFailurePercentagePath") : null;
        this.toleratedFailureCount = def.has("ToleratedFailureCount") && !expression(def, "ToleratedFailureCount")
                ? f.integer("ToleratedFailureCount", 0, 0) : null;
        this.toleratedFailureCountPath = def.has("ToleratedFailureCountPath") ? f.path("ToleratedFailureCountPath") : null;
        this.itemReader = def.get("ItemReader");
        this.itemReaderParameters = itemReader == null ? null
                : FieldValue.of(new Fields(name, itemReader, "ItemReader."), ql, "Parameters", "Arguments");
        if (itemReader != null) {
            new Fields(name, itemReader, "ItemReader.").requiredString("Resource");
        }
        this.itemBatcher = def.get("ItemBatcher");
        this.batchInput = itemBatcher == null ? null
                : FieldValue.of(new Fields(name, itemBatcher, "ItemBatcher."), ql, "BatchInput", "BatchInput");
        this.resultWriter = def.get("ResultWriter");
        this.resultWriterParameters = resultWriter == null ? null
                : FieldValue.of(new Fields(name, resultWriter, "ResultWriter."), ql, "Parameters", "Arguments");
        this.label = f.optString("Label");
        if (jsonataState) {
            // numbers inside the Distributed Map objects may be expressions too: checked here, evaluated when the Map runs
            checkNumbers(new Fields(name, itemReader == null ? null : itemReader.get("ReaderConfig"), "ItemReader.ReaderConfig."), "MaxItems");
            checkNumbers(new Fields(name, itemBatcher, "ItemBatcher."), "MaxItemsPerBatch", "MaxInputBytesPerBatch");
        }
        if (mode == Mode.INLINE) {
            for (String distributedOnly : new String[] {"ItemReader", "ItemBatcher", "ResultWriter"}) {
                if (def.has(distributedOnly)) {
                    throw f.error(distributedOnly, "requires ItemProcessor.ProcessorConfig.Mode DISTRIBUTED");
                }
            }
        }
    }

    private static void checkNumbers(Fields f, String... fields) {
        if (f.def == null) {
            return;
        }
        for (String field : fields) {
            if (f.def.has(field + "Path")) {
                throw f.error(field + "Path", "is not allowed in a JSONata state (use " + field + " with a {% %} expression)");
            }
            JsonNode v = f.def.get(field);
            if (v != null && v.isTextual()) {
                f.jsonata(field);
            }
        }
    }

    private boolean expression(JsonNode def, String field) {
        JsonNode v = def.get(field);
        return ql == QueryLanguage.JSONATA && v != null && v.isTextual() && JsonataExpression.isExpression(v.textValue());
    }

    @Override
    java.util.List<StatesBlock> innerBlocks() {
        return java.util.List.of(processor);
    }

    private static Mode parseMode(Fields cf, String m) {
        try {
            return Mode.valueOf(m);
        } catch (IllegalArgumentException e) {
            throw cf.error("Mode", "must be INLINE or DISTRIBUTED");
        }
    }

    @Override
    Interpreter.Step execute(Interpreter in, Interpreter.StateRun run, JsonNode raw) {
        return in.withErrorHandling(run, raw, (r, args) -> in.maps().run(this, args, r));
    }
}
