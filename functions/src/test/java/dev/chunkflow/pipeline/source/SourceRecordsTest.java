package dev.chunkflow.pipeline.source;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import de.siegmar.fastcsv.writer.CsvWriter;
import de.siegmar.fastcsv.writer.LineDelimiter;
import dev.chunkflow.workload.KeyPart;
import dev.chunkflow.workload.RecordFormat;

class SourceRecordsTest {
    private static final List<String> COLUMNS = List.of("a", "b", "c");
    private static final String[] PIECES = {"x", "42", "é", "漢", "😀", ",", "\"", "\n", "\r\n", "#", " ", ""};

    /** What the chunk data carries for a record: FastCSV's writer's bytes, whichever path wrote them. */
    private static byte[] written(List<String> fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        CsvWriter w = CsvWriter.builder().lineDelimiter(LineDelimiter.LF).autoFlush(true).build(out, StandardCharsets.UTF_8);
        w.writeRecord(fields);
        return out.toByteArray();
    }

    @Test
    void payloadIsWhatFastCsvWritesForRandomRecords() {
        Random random = new Random(11);
        List<List<String>> records = new ArrayList<>();
        for (int r = 0; r < 3_000; r++) {
            int n = 1 + random.nextInt(4);
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                StringBuilder f = new StringBuilder();
                int pieces = random.nextInt(4);
                for (int k = 0; k < pieces; k++) {
                    // mostly plain text, as real data is, so both paths are taken often
                    f.append(random.nextInt(3) == 0 ? PIECES[random.nextInt(PIECES.length)] : PIECES[random.nextInt(5)]);
                }
                fields.add(f.toString());
            }
            if (n == 1 && fields.get(0).isBlank()) {
                continue; // an empty line is no record
            }
            records.add(fields);
        }
        ByteArrayOutputStream source = new ByteArrayOutputStream();
        source.writeBytes(written(COLUMNS));
        records.forEach(f -> source.writeBytes(written(f)));

        int plain = 0;
        try (SourceRecords in = SourceRecords.open(new ByteArrayInputStream(source.toByteArray()), "test", "t.csv",
                new RecordFormat.Csv(COLUMNS), KeyValues.of(new RecordFormat.Csv(COLUMNS), List.of(KeyPart.string("a"))))) {
            for (List<String> fields : records) {
                assertTrue(in.next(), "a record for " + fields);
                byte[] expected = written(fields);
                assertArrayEquals(expected, Arrays.copyOf(in.payloadBytes(), in.payloadLength()), "payload of " + fields);
                if (new String(expected, StandardCharsets.UTF_8).indexOf('"') < 0) {
                    plain++;
                }
            }
            assertFalse(in.next());
        }
        assertTrue(plain > 1_000 && plain < records.size(), "both paths taken: " + plain + " of " + records.size());
    }

    @Test
    void plainPathDeclinesWhatNeedsQuotingAndWritesNothing() {
        SourceRecords.Payload p = new SourceRecords.Payload();
        for (String[] r : List.of(new String[] {"a,b", "c"}, new String[] {"a", "q\""}, new String[] {"a\nb", "c"},
                new String[] {"#a", "b"}, new String[] {""})) {
            p.reset();
            assertFalse(p.plainCsv(r, r.length), Arrays.toString(r));
            assertEquals(0, p.size());
        }
        p.reset();
        assertTrue(p.plainCsv(new String[] {"a#", "", "😀"}, 3));
        assertEquals("a#,,😀\n", new String(p.bytes(), 0, p.size(), StandardCharsets.UTF_8));
    }
}
