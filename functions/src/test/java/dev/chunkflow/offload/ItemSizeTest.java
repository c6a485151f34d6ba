package dev.chunkflow.offload;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/** The rules one by one, on hand-checked values (the DynamoDB-backed proof is ItemSizeDynamoDbTest). */
class ItemSizeTest {

    @ParameterizedTest
    @CsvSource({
        "0, 1", "-0.0, 1", "1, 2", "9, 2", "10, 2", "99, 2", "100, 2", "123, 3", "1000, 2", "1234, 3",
        "12345, 4", "0.5, 2", "0.05, 2", "0.005, 2", "1.5, 3", "12.5, 3", "007, 2", "1.50, 3", "1E+2, 2",
        "-1, 3", "-123, 4", "-0.5, 3",
        // 38 digits: 19 pairs when the integer part has an even number of digits, 20 when it is odd
        "12345678901234567890123456789012345678, 20", "1234567890123456789012345678901234567.8, 21",
        "-12345678901234567890123456789012345678, 21", "-1234567890123456789012345678901234567.8, 21",
    })
    void numbers(String n, int bytes) {
        assertEquals(bytes, ItemSize.number(n), n);
    }

    @Test
    void stringsCountUtf8Bytes() {
        assertEquals(0, ItemSize.utf8Length(""));
        assertEquals(5, ItemSize.utf8Length("hello"));
        assertEquals(2, ItemSize.utf8Length("é"));
        assertEquals(3, ItemSize.utf8Length("日"));
        assertEquals(4, ItemSize.utf8Length("😀"));
        String mixed = "aé日😀";
        assertEquals(mixed.getBytes(java.nio.charset.StandardCharsets.UTF_8).length, ItemSize.utf8Length(mixed));
    }

    @Test
    void documentsAndSets() {
        Map<String, AttributeValue> item = new LinkedHashMap<>();
        item.put("id", AttributeValue.fromS("abc"));                                     // 2 + 3
        item.put("flag", AttributeValue.fromBool(true));                                 // 4 + 1
        item.put("none", AttributeValue.builder().nul(true).build());                    // 4 + 1
        item.put("bin", AttributeValue.fromB(SdkBytes.fromByteArray(new byte[10])));     // 3 + 10
        item.put("l", AttributeValue.fromL(List.of(AttributeValue.fromS("ab"), AttributeValue.fromN("1")))); // 1 + 3 + (1+2) + (1+2)
        item.put("m", AttributeValue.fromM(Map.of("k", AttributeValue.fromS("v"))));     // 1 + 3 + (1+1+1)
        item.put("e", AttributeValue.fromL(List.of()));                                  // 1 + 3
        item.put("ss", AttributeValue.fromSs(List.of("a", "bb")));                        // 2 + 3
        item.put("ns", AttributeValue.fromNs(List.of("1", "123")));                       // 2 + 2 + 3
        assertEquals(5 + 5 + 5 + 13 + 10 + 7 + 4 + 5 + 7, ItemSize.bytes(item));
    }
}
