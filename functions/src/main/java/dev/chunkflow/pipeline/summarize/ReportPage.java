package dev.chunkflow.pipeline.summarize;

import dev.chunkflow.pipeline.process.ChunkResult;
import java.util.Map;

import dev.chunkflow.pipeline.plan.Manifest;
import dev.chunkflow.pipeline.runs.RunLayout;

/** {@code output/{job_id}/report.html}: a self-contained page, no scripts, no timestamps. */
final class ReportPage {
    /** Beyond this many chunks the table shows the first ones; every chunk is in the job's steps and results. */
    static final int MAX_TABLE_ROWS = 1000;

    private ReportPage() {
    }

    static String html(String jobId, Manifest m, ChunkResult[] results, SummarizeService.Totals t,
                       Map<String, Object> workloadSummary) {
        StringBuilder h = new StringBuilder(16_384 + Math.min(results.length, MAX_TABLE_ROWS) * 120);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>chunkflow run ")
                .append(esc(jobId)).append("</title>\n<style>body{font-family:system-ui,sans-serif;margin:2em}"
                        + "table{border-collapse:collapse;margin:1em 0}td,th{border:1px solid #ccc;padding:.25em .6em;text-align:right}"
                        + "th{background:#f4f4f4}td.l,th.l{text-align:left}</style></head><body>\n");
        h.append("<h1>Run ").append(esc(jobId)).append("</h1>\n");
        h.append("<p>Source <code>s3://").append(esc(m.bucket())).append('/').append(esc(m.prefix()))
                .append("</code>, ").append(m.sources().size()).append(" object(s), workload <code>").append(esc(m.workload()))
                .append("</code>, planned into ")
                .append(m.numChunks()).append(" chunk(s) of about ").append(m.targetRowsPerChunk()).append(" rows.</p>\n");

        h.append("<h2>Rows</h2>\n<table><tr><th class=\"l\">measure</th><th>rows</th></tr>\n");
        row(h, "read (rows_in)", t.rows.rowsIn());
        row(h, "written (rows_out)", t.rows.rowsOut());
        row(h, "rejected", t.rows.rowsRejected());
        row(h, "duplicates dropped", t.rows.duplicatesDropped());
        row(h, "keys", t.keys);
        h.append("</table>\n<p>rows_in = rows_out + rejected + duplicates dropped: ")
                .append(t.rows.conserved() ? "holds" : "DOES NOT HOLD").append(".</p>\n");

        h.append("<h2>Workload</h2>\n<table><tr><th class=\"l\">measure</th><th>value</th></tr>\n");
        for (Map.Entry<String, Object> e : new java.util.TreeMap<>(workloadSummary).entrySet()) {
            h.append("<tr><td class=\"l\">").append(esc(e.getKey())).append("</td><td>").append(esc(String.valueOf(e.getValue())))
                    .append("</td></tr>\n");
        }
        h.append("</table>\n");

        h.append("<h2>Rejects by reason</h2>\n<table><tr><th class=\"l\">reason</th><th>rows</th></tr>\n");
        for (Map.Entry<String, Long> e : t.rejectReasons.entrySet()) {
            row(h, e.getKey(), e.getValue());
        }
        h.append("</table>\n<p>Details (source object, line, reason) are in <code>")
                .append(esc(RunLayout.outputPrefix(jobId))).append("rejects/</code>.</p>\n");

        h.append("<h2>Chunks</h2>\n<p>Rows per chunk: min ").append(t.minChunkRows).append(", median ")
                .append(t.medianChunkRows).append(", max ").append(t.maxChunkRows).append(".</p>\n");
        h.append("<table><tr><th>chunk</th><th>keys</th><th>rows in</th><th>rows out</th><th>rejected</th>"
                + "<th>duplicates</th><th>output bytes</th></tr>\n");
        int shown = Math.min(results.length, MAX_TABLE_ROWS);
        for (int i = 0; i < shown; i++) {
            ChunkResult r = results[i];
            h.append("<tr><td>").append(r.chunkId()).append("</td><td>").append(r.keys()).append("</td><td>")
                    .append(r.rows().rowsIn()).append("</td><td>").append(r.rows().rowsOut()).append("</td><td>")
                    .append(r.rows().rowsRejected()).append("</td><td>").append(r.rows().duplicatesDropped()).append("</td><td>")
                    .append(r.outputBytes()).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (shown < results.length) {
            h.append("<p>First ").append(shown).append(" of ").append(results.length)
                    .append(" chunks shown; all are in the job's execution steps and under <code>")
                    .append(esc(RunLayout.resultsPrefix(jobId))).append("</code>.</p>\n");
        }

        h.append("<h2>Sources</h2>\n<table><tr><th class=\"l\">object</th><th class=\"l\">ETag</th><th>bytes</th><th>rows</th></tr>\n");
        for (Manifest.Source s : m.sources()) {
            h.append("<tr><td class=\"l\">").append(esc(s.key())).append("</td><td class=\"l\">").append(esc(s.etag()))
                    .append("</td><td>").append(s.size()).append("</td><td>").append(s.rows()).append("</td></tr>\n");
        }
        h.append("</table>\n</body></html>\n");
        return h.toString();
    }

    private static void row(StringBuilder h, String label, long value) {
        h.append("<tr><td class=\"l\">").append(esc(label)).append("</td><td>").append(value).append("</td></tr>\n");
    }

    static String esc(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '&' -> b.append("&amp;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
