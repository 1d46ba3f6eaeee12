package org.sparkserving.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the results as Markdown: a header describing the machine, one table row per contender
 * and load, and notes on anything that went wrong. Each row is compared with the {@code bare} row
 * of the same load in the same run, so the ratios hold on any machine even if absolute numbers do
 * not.
 */
final class ResultTable {

  static final String BASELINE = "bare";

  private static final String[] COLUMNS = {
    "contender", "load", "requests", "errors", "mismatches", "throughput (req/s)",
    "p50 (ms)", "p90 (ms)", "p99 (ms)", "p99.9 (ms)", "max (ms)",
    "throughput / bare", "p50 / bare"
  };

  private ResultTable() {}

  /**
   * @param startupNotes one line per contender about its start (e.g. its first reply's delay)
   */
  static String render(
      BenchOptions options,
      ZonedDateTime startedAt,
      List<String> startupNotes,
      List<LoadResult> rows) {
    StringBuilder md = new StringBuilder();
    md.append("# Spark Serving benchmark\n\n");
    md.append("- Date: ")
        .append(startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    md.append("- Spark: ").append(SystemInfo.sparkVersion()).append('\n');
    md.append("- JVM: ").append(SystemInfo.jvm()).append('\n');
    md.append("- nproc: ").append(SystemInfo.nproc()).append('\n');
    md.append("- OS: ").append(SystemInfo.os()).append('\n');
    md.append("- CPU: ").append(SystemInfo.cpu()).append('\n');
    md.append("- Arguments: `").append(options.commandLine).append("`\n");
    md.append("- Load generator and contenders share the JVM and the machine's cores; ")
        .append("latency is in milliseconds, over correct replies only.\n\n");

    md.append('|');
    for (String c : COLUMNS) {
      md.append(' ').append(c).append(" |");
    }
    md.append("\n|");
    for (int i = 0; i < COLUMNS.length; i++) {
      md.append(i < 2 ? " --- |" : " ---: |");
    }
    md.append('\n');
    for (LoadResult row : rows) {
      LoadResult base = baseline(rows, row.load());
      Tally t = row.tally();
      md.append("| ").append(row.contender())
          .append(" | ").append(row.load())
          .append(" | ").append(t.requests())
          .append(" | ").append(t.errors + t.notSent)
          .append(" | ").append(t.mismatches)
          .append(" | ").append(String.format(Locale.ROOT, "%.1f", row.throughput()))
          .append(" | ").append(ms(row.percentileMs(50)))
          .append(" | ").append(ms(row.percentileMs(90)))
          .append(" | ").append(ms(row.percentileMs(99)))
          .append(" | ").append(ms(row.percentileMs(99.9)))
          .append(" | ").append(ms(row.maxMs()))
          .append(" | ").append(base == null ? "n/a" : ratio(row.throughput(), base.throughput()))
          .append(" | ")
          .append(base == null ? "n/a" : ratio(row.percentileMs(50), base.percentileMs(50)))
          .append(" |\n");
    }

    List<String> notes = new ArrayList<>(startupNotes);
    for (LoadResult row : rows) {
      String where = row.contender() + ", " + row.load() + ": ";
      if (row.note() != null) {
        notes.add(where + row.note());
      }
      if (row.tally().firstError != null) {
        notes.add(where + "first error: " + row.tally().firstError);
      }
      if (row.tally().firstMismatch != null) {
        notes.add(where + "first mismatch: " + row.tally().firstMismatch);
      }
    }
    if (!notes.isEmpty()) {
      md.append("\nNotes:\n\n");
      for (String n : notes) {
        md.append("- ").append(n.replace("|", "\\|")).append('\n');
      }
    }
    return md.toString();
  }

  private static LoadResult baseline(List<LoadResult> rows, String load) {
    for (LoadResult r : rows) {
      if (r.contender().equals(BASELINE) && r.load().equals(load)) {
        return r;
      }
    }
    return null;
  }

  private static String ms(double value) {
    return Double.isNaN(value) ? "n/a" : String.format(Locale.ROOT, "%.3f", value);
  }

  /**
   * Two significant digits for small ratios, fewer decimals as the ratio grows: 0.00019x, 0.85x,
   * 12.3x, 1540x. A fixed two decimals would print a thousandfold gap as 0.00x.
   */
  static String ratio(double value, double base) {
    if (Double.isNaN(value) || Double.isNaN(base) || base == 0) {
      return "n/a";
    }
    double r = value / base;
    String text;
    if (r == 0) {
      text = "0";
    } else if (r < 1) {
      text = new BigDecimal(r).round(new MathContext(2)).stripTrailingZeros().toPlainString();
    } else {
      text = String.format(Locale.ROOT, r < 10 ? "%.2f" : r < 100 ? "%.1f" : "%.0f", r);
    }
    return text + "x";
  }
}
