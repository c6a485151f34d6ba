package dev.chunkflow.workload;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;

/**
 * How one key part is ordered inside a partition's plan. Values that do not parse as the type (malformed
 * records still get a key) sort after every value that does, by their text.
 */
public enum KeyType {
    /** By the text, as {@link String#compareTo}. */
    STRING,
    /** By numeric value ({@code 9 < 10}); {@code 1.0} and {@code 1} are the same number but different keys. */
    NUMBER,
    /** An ISO calendar date {@code yyyy-MM-dd}, by date. */
    DATE;

    int compare(String a, String b) {
        if (this == STRING || a.equals(b)) {
            return a.compareTo(b);
        }
        Comparable<Object> x = parse(a);
        Comparable<Object> y = parse(b);
        if (x != null && y != null) {
            int c = x.compareTo(y);
            return c != 0 ? c : a.compareTo(b);
        }
        if (x != null) {
            return -1;
        }
        if (y != null) {
            return 1;
        }
        return a.compareTo(b);
    }

    @SuppressWarnings("unchecked")
    private Comparable<Object> parse(String s) {
        try {
            return (Comparable<Object>) (Comparable<?>) (this == NUMBER ? new BigDecimal(s) : LocalDate.parse(s));
        } catch (NumberFormatException | DateTimeParseException e) {
            return null;
        }
    }
}
