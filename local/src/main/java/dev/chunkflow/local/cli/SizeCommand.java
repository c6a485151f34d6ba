package dev.chunkflow.local.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.InvalidInput;
import dev.chunkflow.jobs.JobStore;
import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.offload.AttributeValues;
import dev.chunkflow.offload.ItemSize;
import dev.chunkflow.offload.JsonValues;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** {@code chunkflow size ITEM.json}: the exact DynamoDB size of an item and what the offload rule would move. */
@Command(name = "size", mixinStandardHelpOptions = true,
        description = {"Print the exact DynamoDB item size of ITEM.json (DynamoDB JSON, as `aws dynamodb get-item`",
                "prints it, or plain JSON) and which attributes the job store's offload rule would move to S3."})
public final class SizeCommand implements Callable<Integer> {
    private static final Set<String> TYPES = Set.of("S", "N", "B", "SS", "NS", "BS", "M", "L", "NULL", "BOOL");

    @Spec
    CommandSpec spec;

    @Parameters(index = "0", paramLabel = "ITEM.json")
    Path file;

    // an initial value, not defaultValue: the default now comes from Settings and is not a compile-time constant
    @Option(names = "--threshold", paramLabel = "BYTES",
            description = "Offload threshold (default: ${DEFAULT-VALUE}, as OFFLOAD_THRESHOLD_BYTES).")
    long threshold = JobStore.DEFAULT_OFFLOAD_THRESHOLD_BYTES;

    @Override
    public Integer call() {
        if (threshold < 1 || threshold > AwsLimits.DYNAMODB_ITEM_BYTES) {
            throw new CliError("--threshold: must be between 1 and " + AwsLimits.DYNAMODB_ITEM_BYTES);
        }
        JsonNode root = CliFiles.readJson(file, "item");
        if (root.has("Item") && root.get("Item").isObject() && root.size() == 1) {
            root = root.get("Item"); // `aws dynamodb get-item` output
        }
        if (!root.isObject()) {
            throw new CliError(file + ": an item is a JSON object");
        }
        boolean dynamoJson = isDynamoJson(root);
        Map<String, AttributeValue> item;
        try {
            item = dynamoJson ? fromDynamoJson(root) : plain(root);
        } catch (InvalidInput | IllegalArgumentException e) {
            throw new CliError(file + ": " + e.getMessage());
        }
        long size = ItemSize.bytes(item);
        var out = spec.commandLine().getOut();
        out.printf("format            %s%n", dynamoJson ? "DynamoDB JSON" : "plain JSON");
        out.printf("item size         %,d bytes (%.1f%% of the %,d-byte DynamoDB item limit)%n", size,
                100.0 * size / AwsLimits.DYNAMODB_ITEM_BYTES, AwsLimits.DYNAMODB_ITEM_BYTES);
        List<Map.Entry<String, Long>> largest = new ArrayList<>();
        item.forEach((k, v) -> largest.add(Map.entry(k, ItemSize.attribute(k, v))));
        largest.sort((a, b) -> Long.compare(b.getValue(), a.getValue()));
        for (Map.Entry<String, Long> e : largest.subList(0, Math.min(5, largest.size()))) {
            out.printf("  %-28s %,d bytes%n", e.getKey(), e.getValue());
        }
        List<String> moved = JobStore.offloadPreview(item, threshold);
        out.printf("offload threshold %,d bytes%n", threshold);
        if (size <= threshold) {
            out.println("offload           nothing: the item fits");
        } else if (moved.isEmpty()) {
            out.println("offload           nothing movable: the update would be refused");
        } else {
            out.println("offload           " + String.join(", ", moved) + " would move to S3");
        }
        out.flush();
        return 0;
    }

    private static boolean isDynamoJson(JsonNode root) {
        if (root.isEmpty()) {
            return false;
        }
        for (Iterator<JsonNode> it = root.elements(); it.hasNext(); ) {
            JsonNode v = it.next();
            if (!v.isObject() || v.size() != 1 || !TYPES.contains(v.fieldNames().next())) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, AttributeValue> plain(JsonNode root) {
        Object parsed = JsonValues.toObject(root);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        ((Map<?, ?>) parsed).forEach((k, v) -> item.put(String.valueOf(k), AttributeValues.toAttribute(v, String.valueOf(k))));
        return item;
    }

    private static Map<String, AttributeValue> fromDynamoJson(JsonNode root) {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        root.fields().forEachRemaining(e -> item.put(e.getKey(), value(e.getValue(), e.getKey())));
        return item;
    }

    private static AttributeValue value(JsonNode typed, String path) {
        if (!typed.isObject() || typed.size() != 1) {
            throw new IllegalArgumentException(path + ": expected one of {\"S\":...}, {\"N\":...}, ... with one type key");
        }
        String type = typed.fieldNames().next();
        JsonNode v = typed.get(type);
        return switch (type) {
            case "S" -> AttributeValue.fromS(v.asText());
            case "N" -> AttributeValue.fromN(v.asText());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(Base64.getDecoder().decode(v.asText())));
            case "BOOL" -> AttributeValue.fromBool(v.asBoolean());
            case "NULL" -> AttributeValue.fromNul(true);
            case "SS" -> AttributeValue.fromSs(texts(v));
            case "NS" -> AttributeValue.fromNs(texts(v));
            case "BS" -> AttributeValue.fromBs(texts(v).stream().map(s -> SdkBytes.fromByteArray(Base64.getDecoder().decode(s))).toList());
            case "L" -> {
                List<AttributeValue> l = new ArrayList<>();
                int i = 0;
                for (JsonNode e : v) {
                    l.add(value(e, path + "[" + i++ + "]"));
                }
                yield AttributeValue.fromL(l);
            }
            case "M" -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                v.fields().forEachRemaining(e -> m.put(e.getKey(), value(e.getValue(), path + "." + e.getKey())));
                yield AttributeValue.fromM(m);
            }
            default -> throw new IllegalArgumentException(path + ": unknown DynamoDB type " + type);
        };
    }

    private static List<String> texts(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }
}
