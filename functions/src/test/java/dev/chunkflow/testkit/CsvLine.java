package dev.chunkflow.testkit;

import de.siegmar.fastcsv.reader.CsvReader;

/** One CSV line split by FastCSV, as the pipeline reads it. */
public final class CsvLine {
    private CsvLine() {
    }

    public static String[] fields(String line) {
        return CsvReader.builder().ofSingleCsvRecord(line).getFields().toArray(String[]::new);
    }
}
