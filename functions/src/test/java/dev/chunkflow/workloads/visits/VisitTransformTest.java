package dev.chunkflow.workloads.visits;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

import dev.chunkflow.common.Json;
import dev.chunkflow.pipeline.process.TokenSecret;
import dev.chunkflow.testkit.CsvLine;
import dev.chunkflow.workload.RecordRejected;

class VisitTransformTest {
    private static final byte[] SECRET = TokenSecret.LOCAL_DEFAULT.getBytes(StandardCharsets.UTF_8);

    /** Reject reason of each rejected line, by line number. */
    private static final Map<Long, String> REJECTED = new java.util.TreeMap<>();

    private static VisitTransform.Result run(String... lines) {
        VisitTransform t = new VisitTransform(new Pseudonymizer(SECRET));
        REJECTED.clear();
        for (int i = 0; i < lines.length; i++) {
            String[] fields = CsvLine.fields(lines[i]);
            try {
                t.accept(0, i + 2, fields, fields.length);
            } catch (RecordRejected r) {
                assertFalse(r.detail().contains("123-45-6789") || r.detail().contains("123456789") || r.detail().contains("12.50"),
                        r.detail());
                REJECTED.put((long) i + 2, r.reason());
            }
        }
        return t.finish();
    }

    private static List<JsonNode> jsonLines(VisitTransform.Result r, String which) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        switch (which) {
            case "visits" -> r.writeVisits(out);
            default -> r.writeDaily(out);
        }
        String text = out.toString(StandardCharsets.UTF_8);
        if (!text.isEmpty()) {
            assertTrue(text.endsWith("\n"));
        }
        return text.lines().map(l -> Json.readTree(l.getBytes(StandardCharsets.UTF_8))).toList();
    }

    @Test
    void rejectsEachKindOfMalformedRowWithLineAndReasonButNoValues() throws IOException {
        VisitTransform.Result r = run(
                "V1,2024-02-30,123-45-6789,P1,99213,100,2024-03-01T00:00:00Z",
                "V2,2024-03-01,123456789,P1,99213,100,2024-03-01T00:00:00Z",
                "V3,2024-03-01,123-45-6789,P1,99213,12.50,2024-03-01T00:00:00Z",
                "V4,2024-03-01,123-45-6789,,99213,100,2024-03-01T00:00:00Z",
                "V5,2024-03-01,123-45-6789,P1,99213,100",
                "V6,2024-03-01,123-45-6789,P1,99213,100,yesterday",
                "V7,2024-03-01,123-45-6789,P1,99213,100,2024-03-01T00:00:00Z");
        assertEquals(7, r.rowsIn());
        assertEquals(1, r.rowsOut());
        assertEquals(6, r.rowsRejected());
        assertEquals(Map.of(2L, "bad_date", 3L, "bad_ssn", 4L, "bad_amount", 5L, "missing_field", 6L, "field_count",
                7L, "bad_updated_at"), REJECTED);
    }

    @Test
    void keepsTheLatestVersionAndBreaksTiesByPosition() throws IOException {
        VisitTransform.Result r = run(
                "V1,2024-03-01,123-45-6789,P1,99213,100,2024-03-02T00:00:00Z",
                "V1,2024-03-01,123-45-6789,P1,99213,300,2024-03-05T00:00:00Z",
                "V1,2024-03-01,123-45-6789,P1,99213,200,2024-03-03T00:00:00Z",
                "V2,2024-03-01,123-45-6789,P2,99214,10,2024-03-02T00:00:00Z",
                "V2,2024-03-01,123-45-6789,P2,99214,20,2024-03-02T00:00:00Z");
        assertEquals(5, r.rowsIn());
        assertEquals(2, r.rowsOut());
        assertEquals(3, r.duplicatesDropped());
        assertEquals(r.rowsIn(), r.rowsOut() + r.rowsRejected() + r.duplicatesDropped());
        List<JsonNode> visits = jsonLines(r, "visits");
        JsonNode v1 = visits.stream().filter(v -> v.get("visit_id").asText().equals("V1")).findFirst().orElseThrow();
        JsonNode v2 = visits.stream().filter(v -> v.get("visit_id").asText().equals("V2")).findFirst().orElseThrow();
        assertEquals(300, v1.get("amount_cents").asLong());
        assertEquals(20, v2.get("amount_cents").asLong(), "equal updated_at: the later line wins");
        assertFalse(v1.has("ssn"));
        assertEquals(new Pseudonymizer(SECRET).token("123-45-6789"), v1.get("patient_token").asText());

        List<JsonNode> daily = jsonLines(r, "daily");
        assertEquals(1, daily.size());
        assertEquals(2, daily.get(0).get("visits").asLong());
        assertEquals(320, daily.get(0).get("total_amount_cents").asLong());
        assertEquals("[\"P1\",\"P2\"]", daily.get(0).get("providers").toString());
    }

    @Test
    void outputBytesDoNotDependOnInputOrderOfDistinctVisits() throws IOException {
        String a = "V1,2024-03-01,111-11-1111,P1,99213,100,2024-03-02T00:00:00Z";
        String b = "V2,2024-03-02,222-22-2222,P2,99213,100,2024-03-02T00:00:00Z";
        ByteArrayOutputStream x = new ByteArrayOutputStream();
        ByteArrayOutputStream y = new ByteArrayOutputStream();
        run(a, b).writeVisits(x);
        run(b, a).writeVisits(y);
        assertEquals(x.toString(StandardCharsets.UTF_8), y.toString(StandardCharsets.UTF_8));
        assertEquals(2, x.toString(StandardCharsets.UTF_8).lines().count(), "both visits are written");
    }

    @Test
    void calendarAndShapeChecks() {
        assertTrue(VisitTransform.isDate("2024-02-29"));
        assertFalse(VisitTransform.isDate("2023-02-29"));
        assertFalse(VisitTransform.isDate("2024-13-01"));
        assertFalse(VisitTransform.isDate("03/01/2024"));
        assertTrue(VisitTransform.isSsn("001-01-0001"));
        assertFalse(VisitTransform.isSsn("001-01-001"));
        assertFalse(VisitTransform.isSsn("0010-1-0001"));
    }
}
