package dev.chunkflow.source;

/**
 * The grouping key {@code (visit_date, ssn)} exactly as written in the source (after CSV unquoting).
 * Rows too short to have the field use "" for it, so malformed rows still have a key and a chunk.
 */
public record VisitKey(String visitDate, String ssn) implements Comparable<VisitKey> {

    public static VisitKey of(String[] fields, int count) {
        return new VisitKey(count > VisitCsv.VISIT_DATE ? fields[VisitCsv.VISIT_DATE] : "",
                count > VisitCsv.SSN ? fields[VisitCsv.SSN] : "");
    }

    @Override
    public int compareTo(VisitKey o) {
        int c = visitDate.compareTo(o.visitDate);
        return c != 0 ? c : ssn.compareTo(o.ssn);
    }
}
