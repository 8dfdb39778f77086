package io.dsplane.fleetsim.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.HdrHistogram.Histogram;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Fmt formats the report: durations, latency percentiles from an HdrHistogram of microseconds, and text tables. */
public final class Fmt {

    private Fmt() {
    }

    /** millis prints a duration given in microseconds: "0.42 ms", "12.3 ms", "1234 ms", "12.35 s". */
    public static String micros(long micros) {
        if (micros < 1_000) {
            return String.format(Locale.ROOT, "%.2f ms", micros / 1000.0);
        }
        if (micros < 10_000_000) {
            return String.format(Locale.ROOT, micros < 100_000 ? "%.1f ms" : "%.0f ms", micros / 1000.0);
        }
        return String.format(Locale.ROOT, "%.2f s", micros / 1_000_000.0);
    }

    /** seconds prints nanoseconds as seconds with two decimals. */
    public static String seconds(long nanos) {
        return String.format(Locale.ROOT, "%.2f s", nanos / 1e9);
    }

    /** percentiles is "n=100  p50 1.0 ms  p99 ...  p99.9 ...  max ..." for a histogram of microseconds. */
    public static String percentiles(Histogram h) {
        if (h.getTotalCount() == 0) {
            return "n=0 (no samples)";
        }
        return String.format(Locale.ROOT, "n=%d  p50 %s  p99 %s  p99.9 %s  max %s", h.getTotalCount(),
                micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(99)),
                micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()));
    }

    /** percentilesJson gives the same figures in milliseconds. */
    public static ObjectNode percentilesJson(Histogram h) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("count", h.getTotalCount());
        if (h.getTotalCount() > 0) {
            o.put("p50_ms", h.getValueAtPercentile(50) / 1000.0);
            o.put("p99_ms", h.getValueAtPercentile(99) / 1000.0);
            o.put("p99_9_ms", h.getValueAtPercentile(99.9) / 1000.0);
            o.put("max_ms", h.getMaxValue() / 1000.0);
            o.put("mean_ms", Math.round(h.getMean()) / 1000.0);
        }
        return o;
    }

    /** mib prints bytes as MiB with one decimal. */
    public static String mib(long bytes) {
        return bytes < 0 ? "n/a" : String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
    }

    /** Table lays rows out in left-aligned columns, two spaces apart. */
    public static final class Table {
        private final List<String[]> rows = new ArrayList<>();

        public Table row(Object... cells) {
            String[] r = new String[cells.length];
            for (int i = 0; i < cells.length; i++) {
                r[i] = String.valueOf(cells[i]);
            }
            rows.add(r);
            return this;
        }

        public String render(String indent) {
            int cols = rows.stream().mapToInt(r -> r.length).max().orElse(0);
            int[] width = new int[cols];
            for (String[] r : rows) {
                for (int i = 0; i < r.length; i++) {
                    width[i] = Math.max(width[i], r[i].length());
                }
            }
            StringBuilder sb = new StringBuilder();
            for (String[] r : rows) {
                StringBuilder line = new StringBuilder(indent);
                for (int i = 0; i < r.length; i++) {
                    line.append(r[i]);
                    if (i < r.length - 1) {
                        line.append(" ".repeat(width[i] - r[i].length() + 2));
                    }
                }
                sb.append(line.toString().stripTrailing()).append('\n');
            }
            return sb.toString();
        }
    }
}
