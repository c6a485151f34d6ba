package dev.chunkflow.workloads.visits;

import java.util.List;

/** The visit CSV columns, in header order. */
public final class VisitCsv {
    public static final List<String> COLUMNS = List.of(
            "visit_id", "visit_date", "ssn", "provider_id", "procedure_code", "amount_cents", "updated_at");
    public static final int FIELDS = 7;
    public static final int VISIT_ID = 0;
    public static final int VISIT_DATE = 1;
    public static final int SSN = 2;
    public static final int PROVIDER_ID = 3;
    public static final int PROCEDURE_CODE = 4;
    public static final int AMOUNT_CENTS = 5;
    public static final int UPDATED_AT = 6;
    public static final String HEADER = String.join(",", COLUMNS);

    private VisitCsv() {
    }
}
