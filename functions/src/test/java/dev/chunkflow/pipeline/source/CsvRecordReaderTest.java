package dev.chunkflow.pipeline.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvRecord;

/** The reader must give exactly what FastCSV gives on the same text: fields, starting lines, failures. */
class CsvRecordReaderTest {
    // No lone CR: FastCSV 4.0.0 drops a record whose quoted field holds one ("\"a\rb\"\nc" reads as one
    // record, [c] at line 1); lone CRs between records are covered below.
    private static final String[] PIECES = {"a", "bc", "1", "é", "😀", ",", ",", "\"", "\"\"", "\n", "\r\n", " ", "#", "x\"y"};

    private static List<String> fastCsv(String text) {
        List<String> out = new ArrayList<>();
        for (CsvRecord r : Csvs.reader(new StringReader(text))) {
            out.add(r.getStartingLineNumber() + ":" + r.getFields());
        }
        return out;
    }

    private static List<String> ours(String text, int bufferChars) {
        List<String> out = new ArrayList<>();
        CsvRecordReader r = new CsvRecordReader(new StringReader(text), bufferChars);
        while (r.next()) {
            out.add(r.startingLine() + ":" + Arrays.asList(r.fields()).subList(0, r.fieldCount()));
        }
        return out;
    }

    @Test
    void sameRecordsAndLinesAsFastCsvOnRandomText() {
        Random random = new Random(5);
        int compared = 0;
        for (int t = 0; t < 3_000; t++) {
            StringBuilder text = new StringBuilder();
            int pieces = random.nextInt(60);
            for (int i = 0; i < pieces; i++) {
                // mostly well-formed rows, with stray quotes and line breaks of every kind among them
                text.append(random.nextInt(4) == 0 ? PIECES[random.nextInt(PIECES.length)] : PIECES[random.nextInt(6)]);
                if (random.nextInt(8) == 0) {
                    text.append(random.nextBoolean() ? "\n" : "\r\n");
                }
            }
            String s = text.toString();
            List<String> expected;
            try {
                expected = fastCsv(s);
            } catch (CsvParseException e) {
                continue;
            }
            for (int buffer : new int[] {2, 3, 7, 64 * 1024}) {
                assertEquals(expected, ours(s, buffer), "buffer " + buffer + " on " + s.replace("\r", "\\r").replace("\n", "\\n"));
            }
            compared++;
        }
        assertTrue(compared > 2_500, "compared " + compared);
    }

    @Test
    void plainLinesAreSplitWithEmptyFieldsKept() {
        assertEquals(List.of("1:[a, , b, ]", "3:[c]", "4:[d, e]"), ours("a,,b,\n\nc\r\nd,e", 64));
    }

    @Test
    void aLoneCrEndsALineAsInFastCsv() {
        String text = "a\r\rb\nc,\"d\"\r";
        assertEquals(fastCsv(text), ours(text, 3));
        assertEquals(List.of("1:[a]", "3:[b]", "4:[c, d]"), ours(text, 64));
    }

    @Test
    void aQuotedFieldSpanningLinesKeepsItsLineBreaks() {
        assertEquals(List.of("1:[x, a\r\nb\nc]", "4:[y]"), ours("x,\"a\r\nb\nc\"\ny\n", 4));
    }

    @Test
    void fastCsvFailuresNameTheLineInTheWholeText() {
        String big = "h\n\nok\n" + "x,\"" + "z".repeat(17 << 20) + "\"\n";
        CsvParseException expected = assertThrows(CsvParseException.class, () -> fastCsv(big));
        CsvParseException actual = assertThrows(CsvParseException.class, () -> ours(big, 64 * 1024));
        assertEquals(expected.getMessage(), actual.getMessage());
    }
}
