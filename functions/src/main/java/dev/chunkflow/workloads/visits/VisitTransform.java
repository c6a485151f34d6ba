package dev.chunkflow.workloads.visits;

import java.io.IOException;
import java.io.OutputStream;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import com.fasterxml.jackson.core.JsonGenerator;

import dev.chunkflow.workload.JsonLines;
import dev.chunkflow.workload.RecordRejected;

/**
 * The visit transform, independent of AWS: validate each row, de-duplicate by {@code visit_id}
 * (latest {@code updated_at} wins; on a tie the row read later, by source index then line, wins),
 * replace the SSN with {@code patient_token}, and aggregate per {@code (visit_date, patient_token)}.
 * ProcessChunk runs it per chunk; a single-process run can feed it a whole data set.
 *
 * <p>A row that fails validation is rejected ({@link RecordRejected}: a reason code and a detail that never
 * repeats a field value, so no SSN, valid or not, reaches an output). Output order is fully determined
 * by the data.
 */
public final class VisitTransform {
    /** Reject reason codes (stable: summaries count by them). */
    public static final String FIELD_COUNT = "field_count";
    public static final String MISSING_FIELD = "missing_field";
    public static final String BAD_DATE = "bad_date";
    public static final String BAD_SSN = "bad_ssn";
    public static final String BAD_AMOUNT = "bad_amount";
    public static final String BAD_UPDATED_AT = "bad_updated_at";

    private final Pseudonymizer pseudonymizer;
    private final Map<String, Visit> latest = new HashMap<>();
    /** One copy of each repeated value (dates, SSNs, providers, procedures): a chunk holds its visits in memory. */
    private final Map<String, String> canonical = new HashMap<>();
    private long rowsIn;
    private long duplicatesDropped;

    public VisitTransform(Pseudonymizer pseudonymizer) {
        this.pseudonymizer = pseudonymizer;
    }

    /**
     * One row.
     *
     * @param sourceIndex position of the source object in the run (tie-break order)
     * @param line        physical line number in the source object (1 = header)
     * @param fields      the fields; {@code count} of them are in the record
     * @throws RecordRejected when the row is not a valid visit
     */
    public void accept(int sourceIndex, long line, String[] fields, int count) {
        rowsIn++;
        if (count != VisitCsv.FIELDS) {
            throw reject(FIELD_COUNT, "expected " + VisitCsv.FIELDS + " fields, got " + count);
        }
        for (int i = 0; i < VisitCsv.FIELDS; i++) {
            if (fields[i].isEmpty()) {
                throw reject(MISSING_FIELD, VisitCsv.COLUMNS.get(i) + " is empty");
            }
        }
        String date = fields[VisitCsv.VISIT_DATE];
        if (!isDate(date)) {
            throw reject(BAD_DATE, "visit_date is not a calendar date yyyy-MM-dd");
        }
        String ssn = fields[VisitCsv.SSN];
        if (!isSsn(ssn)) {
            throw reject(BAD_SSN, "ssn is not in ddd-dd-dddd form");
        }
        long amount;
        try {
            amount = Long.parseLong(fields[VisitCsv.AMOUNT_CENTS]);
        } catch (NumberFormatException e) {
            throw reject(BAD_AMOUNT, "amount_cents is not an integer");
        }
        Instant updatedAt;
        try {
            updatedAt = Instant.parse(fields[VisitCsv.UPDATED_AT]);
        } catch (DateTimeParseException e) {
            throw reject(BAD_UPDATED_AT, "updated_at is not an ISO-8601 instant");
        }
        Visit v = new Visit(fields[VisitCsv.VISIT_ID], canonical(date), canonical(ssn), canonical(fields[VisitCsv.PROVIDER_ID]),
                canonical(fields[VisitCsv.PROCEDURE_CODE]), amount, updatedAt, sourceIndex, line);
        Visit previous = latest.putIfAbsent(v.visitId, v);
        if (previous != null) {
            duplicatesDropped++;
            if (v.supersedes(previous)) {
                latest.put(v.visitId, v);
            }
        }
    }

    private String canonical(String value) {
        String known = canonical.putIfAbsent(value, value);
        return known != null ? known : value;
    }

    private static RecordRejected reject(String reason, String detail) {
        return new RecordRejected(reason, detail);
    }

    static boolean isDate(String s) {
        if (s.length() != 10 || s.charAt(4) != '-' || s.charAt(7) != '-') {
            return false;
        }
        int y = digits(s, 0, 4);
        int m = digits(s, 5, 7);
        int d = digits(s, 8, 10);
        if (y < 0 || m < 1 || m > 12 || d < 1 || d > 31) {
            return false;
        }
        if (d <= 28) {
            return true;
        }
        try {
            LocalDate.of(y, m, d);
            return true;
        } catch (DateTimeException e) {
            return false;
        }
    }

    static boolean isSsn(String s) {
        return s.length() == 11 && s.charAt(3) == '-' && s.charAt(6) == '-'
                && digits(s, 0, 3) >= 0 && digits(s, 4, 6) >= 0 && digits(s, 7, 11) >= 0;
    }

    private static int digits(String s, int from, int to) {
        int v = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    /** Ends the input: pseudonymizes, orders and aggregates. */
    public Result finish() {
        Map<String, String> tokens = new HashMap<>();
        List<Visit> visits = new ArrayList<>(latest.values());
        for (Visit v : visits) {
            v.token = tokens.computeIfAbsent(v.ssn, pseudonymizer::token);
        }
        visits.sort(Comparator.comparing((Visit v) -> v.visitDate).thenComparing(v -> v.token).thenComparing(v -> v.visitId));
        List<Daily> daily = new ArrayList<>();
        Daily current = null;
        for (Visit v : visits) {
            if (current == null || !current.visitDate.equals(v.visitDate) || !current.token.equals(v.token)) {
                current = new Daily(v.visitDate, v.token);
                daily.add(current);
            }
            current.visits++;
            current.totalAmountCents += v.amountCents;
            current.providers.add(v.providerId);
        }
        return new Result(visits, daily, rowsIn, duplicatesDropped);
    }

    static final class Visit {
        final String visitId;
        final String visitDate;
        final String ssn;
        final String providerId;
        final String procedureCode;
        final long amountCents;
        final Instant updatedAt;
        final int sourceIndex;
        final long line;
        String token;

        Visit(String visitId, String visitDate, String ssn, String providerId, String procedureCode, long amountCents,
              Instant updatedAt, int sourceIndex, long line) {
            this.visitId = visitId;
            this.visitDate = visitDate;
            this.ssn = ssn;
            this.providerId = providerId;
            this.procedureCode = procedureCode;
            this.amountCents = amountCents;
            this.updatedAt = updatedAt;
            this.sourceIndex = sourceIndex;
            this.line = line;
        }

        boolean supersedes(Visit other) {
            int c = updatedAt.compareTo(other.updatedAt);
            if (c != 0) {
                return c > 0;
            }
            if (sourceIndex != other.sourceIndex) {
                return sourceIndex > other.sourceIndex;
            }
            return line > other.line;
        }
    }

    /** Aggregate of one {@code (visit_date, patient_token)}. */
    static final class Daily {
        final String visitDate;
        final String token;
        long visits;
        long totalAmountCents;
        final TreeSet<String> providers = new TreeSet<>();

        Daily(String visitDate, String token) {
            this.visitDate = visitDate;
            this.token = token;
        }
    }

    /** The transform's output; the writers produce JSON Lines with a fixed field order. */
    public static final class Result {
        private final List<Visit> visits;
        private final List<Daily> daily;
        private final long rowsIn;
        private final long duplicatesDropped;

        Result(List<Visit> visits, List<Daily> daily, long rowsIn, long duplicatesDropped) {
            this.visits = visits;
            this.daily = daily;
            this.rowsIn = rowsIn;
            this.duplicatesDropped = duplicatesDropped;
        }

        public long rowsIn() {
            return rowsIn;
        }

        public long rowsOut() {
            return visits.size();
        }

        /** Rows rejected: those neither kept nor dropped as duplicates. */
        public long rowsRejected() {
            return rowsIn - visits.size() - duplicatesDropped;
        }

        public long duplicatesDropped() {
            return duplicatesDropped;
        }

        public long dailyRows() {
            return daily.size();
        }

        /** {@code {visit_id, visit_date, patient_token, provider_id, procedure_code, amount_cents, updated_at}} per line. */
        public void writeVisits(OutputStream out) throws IOException {
            try (JsonGenerator g = lines(out)) {
                for (Visit v : visits) {
                    g.writeStartObject();
                    g.writeStringField("visit_id", v.visitId);
                    g.writeStringField("visit_date", v.visitDate);
                    g.writeStringField("patient_token", v.token);
                    g.writeStringField("provider_id", v.providerId);
                    g.writeStringField("procedure_code", v.procedureCode);
                    g.writeNumberField("amount_cents", v.amountCents);
                    g.writeStringField("updated_at", v.updatedAt.toString());
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
            }
        }

        /** {@code {visit_date, patient_token, visits, total_amount_cents, providers}} per line. */
        public void writeDaily(OutputStream out) throws IOException {
            try (JsonGenerator g = lines(out)) {
                for (Daily d : daily) {
                    g.writeStartObject();
                    g.writeStringField("visit_date", d.visitDate);
                    g.writeStringField("patient_token", d.token);
                    g.writeNumberField("visits", d.visits);
                    g.writeNumberField("total_amount_cents", d.totalAmountCents);
                    g.writeArrayFieldStart("providers");
                    for (String p : d.providers) {
                        g.writeString(p);
                    }
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeRaw('\n');
                }
            }
        }

        private static JsonGenerator lines(OutputStream out) throws IOException {
            return JsonLines.generator(out);
        }
    }
}
