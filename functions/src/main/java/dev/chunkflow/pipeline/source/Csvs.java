package dev.chunkflow.pipeline.source;

import java.io.Reader;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;

/** The one CSV reader configuration: RFC 4180, lenient about field counts (the workload judges those). */
public final class Csvs {
    private Csvs() {
    }

    public static CsvReader<CsvRecord> reader(Reader in) {
        return CsvReader.builder()
                .allowExtraFields(true)
                .allowMissingFields(true)
                .allowExtraCharsAfterClosingQuote(true)
                .skipEmptyLines(true)
                .ofCsvRecord(in);
    }
}
