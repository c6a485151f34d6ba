package dev.chunkflow.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.chunkflow.limits.AwsLimits;
import dev.chunkflow.testkit.AwsExtension;
import dev.chunkflow.testkit.EmbeddedAws;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.DynamoDbException;

/**
 * The proof that {@link ItemSize} is exact: DynamoDB Local accepts every item whose computed size is
 * at most 409,600 bytes and rejects every item above, for random items (each padded to exactly the
 * limit, one byte over, and random sizes on both sides) and for items made mostly of each type.
 * {@code -Ditemsize.seed=N -Ditemsize.items=M} explore other random items (the default seed keeps CI repeatable).
 */
@ExtendWith(AwsExtension.class)
class ItemSizeDynamoDbTest {
    private static final int LIMIT = AwsLimits.DYNAMODB_ITEM_BYTES;
    private static final String PAD = "pad";

    @Test
    void randomItemsAreAcceptedExactlyUpToTheLimit(EmbeddedAws aws) {
        long seed = Long.getLong("itemsize.seed", 20_261_123L);
        Random random = new Random(seed);
        RandomItems gen = new RandomItems(random);
        int puts = 0;
        int items = Integer.getInteger("itemsize.items", 100);
        for (int i = 0; i < items; i++) {
            Map<String, AttributeValue> item = gen.item("itemsize-random-" + i, 1 + random.nextInt(40), 1 + random.nextInt(9));
            long[] targets = {LIMIT, LIMIT + 1, LIMIT - 1 - random.nextInt(5_000), LIMIT + 2 + random.nextInt(5_000)};
            for (long target : targets) {
                Map<String, AttributeValue> padded = padTo(item, target);
                assertEquals(target, ItemSize.bytes(padded));
                assertEquals(target <= LIMIT, accepted(aws, padded),
                        "seed " + seed + ", item " + i + ", computed size " + target + ": " + describe(item));
                puts++;
            }
        }
        // small random items, unpadded: all accepted, and GetItem returns them as written
        for (int i = 0; i < 100; i++) {
            Map<String, AttributeValue> item = gen.item("itemsize-small-" + i, 1 + random.nextInt(20), 1 + random.nextInt(6));
            assertTrue(ItemSize.bytes(item) < LIMIT);
            assertTrue(accepted(aws, item), "seed " + seed + ", small item " + i);
            puts++;
        }
        assertEquals(items * 4 + 100, puts);
    }

    @ParameterizedTest
    @ValueSource(strings = {"S", "N", "B", "BOOL", "NULL", "SS", "NS", "BS", "L", "M"})
    void itemsOfEachTypeAtLimitMinusOneLimitAndLimitPlusOne(String type, EmbeddedAws aws) {
        Random random = new Random(type.hashCode());
        RandomItems gen = new RandomItems(random);
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("job_id", AttributeValue.fromS("itemsize-type-" + type));
        // fill to within ~2 KB of the limit with values of this type, then pad to the exact size
        long size = ItemSize.bytes(item);
        while (size < LIMIT - 2_000) {
            // short names: DynamoDB Local answers 500 (not a size error) to items with ~288 KB of names
            String name = type.toLowerCase() + Integer.toString(item.size(), 36);
            AttributeValue value = bulk(type, gen, random);
            long more = ItemSize.attribute(name, value);
            if (size + more > LIMIT - 100) {
                break;
            }
            item.put(name, value);
            size += more;
        }
        assertTrue(size > LIMIT - 30_000, "item of " + type + " filled to " + size);
        for (long target : new long[] {LIMIT - 1, LIMIT, LIMIT + 1}) {
            Map<String, AttributeValue> padded = padTo(item, target);
            assertEquals(target <= LIMIT, accepted(aws, padded), type + " item at " + target);
        }
    }

    @Test
    void updateItemEnforcesTheSameSize(EmbeddedAws aws) {
        RandomItems gen = new RandomItems(new Random(7));
        Map<String, AttributeValue> base = gen.item("itemsize-update", 30, 6);
        assertTrue(accepted(aws, base));
        for (long target : new long[] {LIMIT + 1, LIMIT}) {
            long padLength = target - ItemSize.bytes(base) - PAD.length();
            try {
                aws.dynamoDb().updateItem(b -> b.tableName(aws.table()).key(Map.of("job_id", base.get("job_id")))
                        .updateExpression("SET #p = :p").expressionAttributeNames(Map.of("#p", PAD))
                        .expressionAttributeValues(Map.of(":p", AttributeValue.fromS("x".repeat((int) padLength)))));
                assertEquals(LIMIT, target, "UpdateItem accepted an item of " + target + " bytes");
            } catch (DynamoDbException e) {
                assertTrue(e.getMessage().contains("Item size to update has exceeded"), e.getMessage());
                assertEquals(LIMIT + 1, target, "UpdateItem rejected an item of " + target + " bytes");
            }
        }
    }

    private static AttributeValue bulk(String type, RandomItems gen, Random random) {
        return switch (type) {
            case "S" -> AttributeValue.fromS(gen.string(5_000));
            case "N" -> AttributeValue.fromN(gen.number());
            case "B" -> AttributeValue.fromB(SdkBytes.fromByteArray(gen.bytes(20_000)));
            case "BOOL" -> AttributeValue.fromBool(random.nextBoolean());
            case "NULL" -> AttributeValue.builder().nul(true).build();
            case "SS" -> AttributeValue.fromSs(gen.stringSet(200));
            case "NS" -> AttributeValue.fromNs(gen.numberSet(300));
            case "BS" -> AttributeValue.fromBs(gen.bytesSet(200));
            case "L" -> {
                List<AttributeValue> l = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    l.add(gen.value(3));
                }
                yield AttributeValue.fromL(l);
            }
            case "M" -> {
                Map<String, AttributeValue> m = new LinkedHashMap<>();
                for (int i = 0; i < 300; i++) {
                    m.put(gen.name() + i, gen.value(3));
                }
                yield AttributeValue.fromM(m);
            }
            default -> throw new IllegalArgumentException(type);
        };
    }

    /** The item plus an ASCII string attribute making its computed size exactly {@code target}. */
    private static Map<String, AttributeValue> padTo(Map<String, AttributeValue> item, long target) {
        long padLength = target - ItemSize.bytes(item) - PAD.length();
        assertTrue(padLength >= 0, "item too large to pad to " + target);
        Map<String, AttributeValue> padded = new LinkedHashMap<>(item);
        padded.put(PAD, AttributeValue.fromS("x".repeat((int) padLength)));
        return padded;
    }

    private static boolean accepted(EmbeddedAws aws, Map<String, AttributeValue> item) {
        try {
            aws.dynamoDb().putItem(b -> b.tableName(aws.table()).item(item));
            return true;
        } catch (DynamoDbException e) {
            if (e.getMessage().contains("Item size has exceeded the maximum allowed size")) {
                return false;
            }
            throw e;
        }
    }

    private static String describe(Map<String, AttributeValue> item) {
        StringBuilder sb = new StringBuilder();
        item.forEach((k, v) -> sb.append(k.length() > 20 ? k.substring(0, 20) + "..." : k).append(':').append(v.type())
                .append('=').append(ItemSize.value(v)).append(' '));
        return sb.toString();
    }
}
