package dev.chunkflow.sample;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.function.IntFunction;
import java.util.zip.Deflater;

import dev.chunkflow.io.DeterministicGzipOutputStream;
import dev.chunkflow.workloads.visits.VisitCsv;

/**
 * Synthetic visit CSV data, reproducible from a seed (same config, same bytes). Realistic enough to
 * exercise the pipeline: patient and date frequencies are skewed (a few patients and a few "hot" days
 * carry much of the volume), some visits appear again in later versions (same {@code visit_id}, same key,
 * different {@code updated_at}, sometimes older, sometimes equal), and a small share of rows is malformed
 * (bad date, bad SSN, non-integer amount, missing field). SSNs are random, not real.
 *
 * <p>Use from code ({@link #write(Path)} / {@link #write(IntFunction)}) or as a command
 * ({@code scripts/generate-sample-data.sh}, the {@code chunkflow} CLI).
 */
public final class SampleDataGenerator {
    private static final String[] PROCEDURES = {
        "99213", "99214", "99203", "99204", "93000", "36415", "80053", "85025", "71046", "99395",
        "90471", "81002", "97110", "99284", "12001", "20610", "73030", "87880", "96372", "99441"};
    private static final int RECENT = 4096;

    /**
     * @param rows          data rows in total (duplicates and malformed rows included)
     * @param seed          random seed: same config, same bytes
     * @param files         number of files the rows are spread over
     * @param gzip          write {@code .csv.gz} instead of {@code .csv}
     * @param duplicateRate share of rows that are another version of an earlier visit
     * @param malformedRate share of rows that are malformed
     * @param patients      distinct patients (0 = rows / 20, at least 50)
     * @param days          distinct visit dates, from {@code startDate}
     */
    public record Config(long rows, long seed, int files, boolean gzip, double duplicateRate, double malformedRate,
                         int patients, int days, LocalDate startDate) {
        public Config {
            if (rows < 0) {
                throw new IllegalArgumentException("rows must be >= 0");
            }
            if (files < 1 || files > 10_000) {
                throw new IllegalArgumentException("files must be between 1 and 10000");
            }
            if (duplicateRate < 0 || malformedRate < 0 || duplicateRate + malformedRate > 0.9) {
                throw new IllegalArgumentException("duplicate and malformed rates must be >= 0 and sum to at most 0.9");
            }
            if (days < 1) {
                throw new IllegalArgumentException("days must be >= 1");
            }
            if (patients == 0) {
                patients = (int) Math.max(50, Math.min(Integer.MAX_VALUE / 2, rows / 20));
            }
        }

        public static Config of(long rows, long seed) {
            return new Config(rows, seed, 1, false, 0.05, 0.01, 0, 365, LocalDate.of(2024, 1, 1));
        }

        public Config withFiles(int n) {
            return new Config(rows, seed, n, gzip, duplicateRate, malformedRate, patients, days, startDate);
        }

        public Config withGzip(boolean g) {
            return new Config(rows, seed, files, g, duplicateRate, malformedRate, patients, days, startDate);
        }

        public Config withRates(double duplicates, double malformed) {
            return new Config(rows, seed, files, gzip, duplicates, malformed, patients, days, startDate);
        }
    }

    /** What was written. */
    public record Stats(long rows, long newVisits, long duplicateRows, long malformedRows, List<String> files) {
    }

    private final Config config;

    public SampleDataGenerator(Config config) {
        this.config = config;
    }

    public String fileName(int index) {
        return String.format(Locale.ROOT, "visits-%04d.csv%s", index, config.gzip() ? ".gz" : "");
    }

    /** Writes the files into {@code dir} (created if needed). */
    public Stats write(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
        return write(i -> {
            try {
                return Files.newOutputStream(dir.resolve(fileName(i)));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create " + dir.resolve(fileName(i)), e);
            }
        });
    }

    /** Writes file {@code i} (named {@link #fileName}) to the stream {@code open.apply(i)}, which is closed. */
    public Stats write(IntFunction<OutputStream> open) {
        SplittableRandom rnd = new SplittableRandom(config.seed());
        long hotDaysSeed = rnd.nextLong();
        int[] hotDays = new int[Math.min(config.days(), 10)];
        SplittableRandom hot = new SplittableRandom(hotDaysSeed);
        for (int i = 0; i < hotDays.length; i++) {
            hotDays[i] = hot.nextInt(config.days());
        }
        long ssnSalt = rnd.nextLong();
        String[][] recent = new String[RECENT][];
        int recentCount = 0;
        long visitSeq = 0;
        long duplicates = 0;
        long malformed = 0;
        List<String> names = new ArrayList<>();
        StringBuilder row = new StringBuilder(128);
        long written = 0;
        for (int f = 0; f < config.files(); f++) {
            long end = config.rows() * (f + 1) / config.files();
            names.add(fileName(f));
            try (Writer w = writer(open.apply(f))) {
                w.write(VisitCsv.HEADER);
                w.write('\n');
                for (; written < end; written++) {
                    double u = rnd.nextDouble();
                    String[] v;
                    if (u < config.duplicateRate() && recentCount > 0) {
                        String[] prev = recent[rnd.nextInt(Math.min(recentCount, RECENT))];
                        v = prev.clone();
                        v[VisitCsv.UPDATED_AT] = laterVersion(prev[VisitCsv.UPDATED_AT], rnd);
                        v[VisitCsv.AMOUNT_CENTS] = Long.toString(amount(rnd));
                        duplicates++;
                    } else {
                        v = newVisit(++visitSeq, rnd, hotDays, ssnSalt);
                        if (u < config.duplicateRate() + config.malformedRate()) {
                            v = malform(v, rnd);
                            malformed++;
                        } else {
                            recent[recentCount++ % RECENT] = v;
                        }
                    }
                    row.setLength(0);
                    for (int i = 0; i < v.length; i++) {
                        if (i > 0) {
                            row.append(',');
                        }
                        row.append(v[i]);
                    }
                    row.append('\n');
                    w.append(row);
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write " + fileName(f), e);
            }
        }
        return new Stats(config.rows(), visitSeq - malformed, duplicates, malformed, names);
    }

    private Writer writer(OutputStream raw) throws IOException {
        OutputStream out = new BufferedOutputStream(raw, 64 * 1024);
        if (config.gzip()) {
            out = new DeterministicGzipOutputStream(out, Deflater.DEFAULT_COMPRESSION);
        }
        return new java.io.BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
    }

    private String[] newVisit(long seq, SplittableRandom rnd, int[] hotDays, long ssnSalt) {
        // Cubic skew: the lowest patient numbers get most visits.
        double p = rnd.nextDouble();
        int patient = (int) (config.patients() * p * p * p);
        int day = rnd.nextDouble() < 0.2 ? hotDays[rnd.nextInt(hotDays.length)] : rnd.nextInt(config.days());
        LocalDate date = config.startDate().plusDays(day);
        if (date.getDayOfWeek().getValue() >= 6 && rnd.nextDouble() < 0.6) {
            date = date.plusDays(2);
        }
        double q = rnd.nextDouble();
        String provider = String.format(Locale.ROOT, "PRV%04d", (int) (500 * q * q));
        long updated = date.atStartOfDay(ZoneOffset.UTC).toEpochSecond() + 8 * 3600 + rnd.nextInt(30 * 24 * 3600);
        return new String[] {
            String.format(Locale.ROOT, "V%010d", seq),
            date.toString(),
            ssn(patient, ssnSalt),
            provider,
            PROCEDURES[rnd.nextInt(PROCEDURES.length)],
            Long.toString(amount(rnd)),
            java.time.Instant.ofEpochSecond(updated).toString()};
    }

    private static long amount(SplittableRandom rnd) {
        double g = gaussian(rnd);
        return Math.max(500, Math.min(2_500_000, Math.round(Math.exp(9.2 + 0.8 * g))));
    }

    private static double gaussian(SplittableRandom rnd) {
        double u1 = rnd.nextDouble();
        double u2 = rnd.nextDouble();
        return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
    }

    /** A stable, random-looking SSN per patient: area 001-899 except 666, group 01-99, serial 0001-9999. */
    static String ssn(int patient, long salt) {
        SplittableRandom r = new SplittableRandom(salt ^ (patient * 0x9E3779B97F4A7C15L));
        int area;
        do {
            area = 1 + r.nextInt(899);
        } while (area == 666);
        int group = 1 + r.nextInt(99);
        int serial = 1 + r.nextInt(9999);
        return String.format(Locale.ROOT, "%03d-%02d-%04d", area, group, serial);
    }

    /** Mostly later, sometimes older (a stale version arriving late), sometimes the very same instant. */
    private static String laterVersion(String updatedAt, SplittableRandom rnd) {
        long t = java.time.Instant.parse(updatedAt).getEpochSecond();
        double u = rnd.nextDouble();
        if (u < 0.05) {
            return updatedAt;
        }
        long delta = 3600 + rnd.nextInt(10 * 24 * 3600);
        return java.time.Instant.ofEpochSecond(u < 0.3 ? t - delta : t + delta).toString();
    }

    private static String[] malform(String[] v, SplittableRandom rnd) {
        String[] m = v.clone();
        switch (rnd.nextInt(6)) {
            case 0 -> m[VisitCsv.VISIT_DATE] = rnd.nextBoolean() ? v[VisitCsv.VISIT_DATE].substring(0, 8) + "32"
                    : v[VisitCsv.VISIT_DATE].substring(5, 7) + "/" + v[VisitCsv.VISIT_DATE].substring(8) + "/"
                    + v[VisitCsv.VISIT_DATE].substring(0, 4);
            case 1 -> m[VisitCsv.SSN] = rnd.nextBoolean() ? v[VisitCsv.SSN].replace("-", "")
                    : v[VisitCsv.SSN].substring(0, 10);
            case 2 -> m[VisitCsv.AMOUNT_CENTS] = rnd.nextBoolean() ? (Long.parseLong(v[VisitCsv.AMOUNT_CENTS]) / 100) + ".50"
                    : "N/A";
            case 3 -> m[VisitCsv.PROVIDER_ID] = "";
            case 4 -> m = java.util.Arrays.copyOf(v, VisitCsv.FIELDS - 1);
            default -> m[VisitCsv.UPDATED_AT] = "yesterday";
        }
        return m;
    }

    // ------------------------------------------------------------------ command line

    static final String USAGE = """
            usage: SampleDataGenerator --out DIR [options]

            Writes synthetic visit CSV files (visits-0000.csv ...) into DIR: skewed patients and dates,
            re-sent visit versions (duplicates) and a small share of malformed rows; same options, same bytes.

            options:
              --out DIR              output directory (required; created if missing)
              --rows N               data rows in total (default 100000)
              --seed N               random seed (default 42)
              --files N              number of files (default 4)
              --gzip                 write .csv.gz files
              --duplicate-rate X     share of rows re-sending an earlier visit (default 0.05)
              --malformed-rate X     share of malformed rows (default 0.01)
              --patients N           distinct patients (default rows/20, at least 50)
              --days N               distinct visit dates (default 365)
              --start-date DATE      first visit date, yyyy-MM-dd (default 2024-01-01)
              -h, --help             this help
            """;

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** The command; returns the exit code (0 ok, 2 usage error). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Path dir = null;
        long rows = 100_000;
        long seed = 42;
        int files = 4;
        boolean gzip = false;
        double dupRate = 0.05;
        double badRate = 0.01;
        int patients = 0;
        int days = 365;
        LocalDate start = LocalDate.of(2024, 1, 1);
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "-h", "--help" -> {
                        out.print(USAGE);
                        return 0;
                    }
                    case "--gzip" -> gzip = true;
                    case "--out" -> dir = Path.of(value(args, ++i, a));
                    case "--rows" -> rows = Long.parseLong(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--files" -> files = Integer.parseInt(value(args, ++i, a));
                    case "--duplicate-rate" -> dupRate = Double.parseDouble(value(args, ++i, a));
                    case "--malformed-rate" -> badRate = Double.parseDouble(value(args, ++i, a));
                    case "--patients" -> patients = Integer.parseInt(value(args, ++i, a));
                    case "--days" -> days = Integer.parseInt(value(args, ++i, a));
                    case "--start-date" -> start = LocalDate.parse(value(args, ++i, a));
                    default -> throw new IllegalArgumentException("unknown option '" + a + "' (see --help)");
                }
            }
            if (dir == null) {
                throw new IllegalArgumentException("--out DIR is required (see --help)");
            }
            Config config = new Config(rows, seed, files, gzip, dupRate, badRate, patients, days, start);
            Stats stats = new SampleDataGenerator(config).write(dir);
            out.printf(Locale.ROOT, "{\"dir\":\"%s\",\"files\":%d,\"rows\":%d,\"visits\":%d,\"duplicate_rows\":%d,\"malformed_rows\":%d}%n",
                    dir.toString().replace("\\", "\\\\").replace("\"", "\\\""), stats.files().size(), stats.rows(),
                    stats.newVisits(), stats.duplicateRows(), stats.malformedRows());
            return 0;
        } catch (IllegalArgumentException | java.time.DateTimeException e) {
            err.println("generate-sample-data: error: " + e.getMessage());
            return 2;
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
