package org.sparkserving.bench;

import java.math.BigDecimal;
import java.math.MathContext;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Renders the results as Markdown: a header describing the machine, one table row per contender and
 * load, and notes on anything that went wrong. Each row is compared with the {@code bare} row of
 * the same load in the same run, so the ratios hold on any machine even if absolute numbers do not.
 */
final class ResultTable {

  static final String BASELINE = "bare";

  /** The columns {@link #appendStats} fills, in order. */
  private static final List<String> STATS_COLUMNS =
      List.of(
          "requests",
          "errors",
          "mismatches",
          "throughput (req/s)",
          "p50 (ms)",
          "p90 (ms)",
          "p99 (ms)",
          "p99.9 (ms)",
          "max (ms)");

  private static final List<String> COLUMNS =
      withStats(List.of("contender", "load"), List.of("throughput / bare", "p50 / bare"));

  private ResultTable() {}

  /**
   * @param startupNotes one line per contender about its start (e.g. its first reply's delay)
   */
  static String render(
      BenchOptions options,
      ZonedDateTime startedAt,
      List<String> startupNotes,
      List<LoadResult> rows,
      List<SweepResult> sweeps) {
    StringBuilder md = new StringBuilder();
    header(md, "Spark Serving benchmark", options, startedAt);
    md.append("- Load generator and contenders share the JVM and the machine's cores; ")
        .append("latency is in milliseconds, over correct replies only.\n\n");

    columns(md, COLUMNS, 2);
    for (LoadResult row : rows) {
      LoadResult base = baseline(rows, row.load());
      md.append("| ").append(row.contender()).append(" | ").append(row.load()).append(" | ");
      appendStats(md, row);
      md.append(" | ")
          .append(base == null ? "n/a" : ratio(row.throughput(), base.throughput()))
          .append(" | ")
          .append(base == null ? "n/a" : ratio(row.percentileMs(50), base.percentileMs(50)))
          .append(" |\n");
    }
    if (!sweeps.isEmpty()) {
      sweepTable(md, options, sweeps);
    }
    notes(md, startupNotes, rows);
    return md.toString();
  }

  /**
   * The highest open-loop rate each contender held, next to the bare server's: the rows of the
   * sweep are in the main table, this is their summary.
   */
  private static void sweepTable(StringBuilder md, BenchOptions options, List<SweepResult> sweeps) {
    md.append("\nOpen-loop sweep: from ")
        .append(options.sweepFrom)
        .append("/s, doubling up to ")
        .append(options.sweepMax)
        .append("/s; a step holds with no error or mismatch, p99 at most ")
        .append(options.sweepP99.toMillis())
        .append(" ms and at least ")
        .append(Math.round(SweepResult.MIN_ACHIEVED * 100))
        .append("% of the target rate.\n\n");
    md.append(
        "| contender | highest rate held (req/s) | its throughput (req/s) | its p99 (ms) "
            + "| next step (req/s) | why it did not hold | held / bare |\n");
    md.append("| --- | ---: | ---: | ---: | ---: | --- | ---: |\n");
    SweepResult bare = null;
    for (SweepResult s : sweeps) {
      if (s.contender().equals(BASELINE)) {
        bare = s;
      }
    }
    for (SweepResult s : sweeps) {
      boolean none = s.held() == null;
      md.append("| ")
          .append(s.contender())
          .append(" | ")
          .append(none ? "none" : Integer.toString(s.heldRate()))
          .append(" | ")
          .append(none ? "n/a" : String.format(Locale.ROOT, "%.1f", s.held().throughput()))
          .append(" | ")
          .append(none ? "n/a" : ms(s.held().percentileMs(99)))
          .append(" | ")
          .append(s.failedRate() == 0 ? "n/a" : Integer.toString(s.failedRate()))
          .append(" | ")
          .append(s.why().replace("|", "\\|"))
          .append(" | ")
          .append(
              bare == null || bare.held() == null
                  ? "n/a"
                  : none ? "0x" : ratio(s.heldRate(), bare.heldRate()))
          .append(" |\n");
    }
  }

  /** {@code before}, then the columns of {@link #appendStats}, then {@code after}. */
  static List<String> withStats(List<String> before, List<String> after) {
    List<String> all = new ArrayList<>(before);
    all.addAll(STATS_COLUMNS);
    all.addAll(after);
    return List.copyOf(all);
  }

  /** A table's header row and alignment row; the first {@code textColumns} align left. */
  static void columns(StringBuilder md, List<String> columns, int textColumns) {
    md.append('|');
    for (String c : columns) {
      md.append(' ').append(c).append(" |");
    }
    md.append("\n|");
    for (int i = 0; i < columns.size(); i++) {
      md.append(i < textColumns ? " --- |" : " ---: |");
    }
    md.append('\n');
  }

  /** The title and what a reader needs to know about the machine and the command line. */
  static void header(
      StringBuilder md, String title, BenchOptions options, ZonedDateTime startedAt) {
    md.append("# ").append(title).append("\n\n");
    md.append("- Date: ")
        .append(startedAt.format(DateTimeFormatter.ISO_OFFSET_DATE_TIME))
        .append('\n');
    md.append("- Spark: ").append(SystemInfo.sparkVersion()).append('\n');
    md.append("- JVM: ").append(SystemInfo.jvm()).append('\n');
    md.append("- nproc: ").append(SystemInfo.nproc()).append('\n');
    md.append("- OS: ").append(SystemInfo.os()).append('\n');
    md.append("- CPU: ").append(SystemInfo.cpu()).append('\n');
    md.append("- Load average (1, 5, 15 min) when this was written: ")
        .append(SystemInfo.loadAverage())
        .append('\n');
    md.append("- Arguments: `").append(options.commandLine).append("`\n");
  }

  /**
   * The cells from requests to max of one row (requests, errors, mismatches, throughput, p50, p90,
   * p99, p99.9, max), separated by {@code " | "}, without the outer bars.
   */
  static void appendStats(StringBuilder md, LoadResult row) {
    Tally t = row.tally();
    md.append(t.requests())
        .append(" | ")
        .append(t.errors + t.notSent)
        .append(" | ")
        .append(t.mismatches)
        .append(" | ")
        .append(String.format(Locale.ROOT, "%.1f", row.throughput()))
        .append(" | ")
        .append(ms(row.percentileMs(50)))
        .append(" | ")
        .append(ms(row.percentileMs(90)))
        .append(" | ")
        .append(ms(row.percentileMs(99)))
        .append(" | ")
        .append(ms(row.percentileMs(99.9)))
        .append(" | ")
        .append(ms(row.maxMs()));
  }

  /** The notes under a table: the given lines, then each row's note, first error and mismatch. */
  static void notes(StringBuilder md, List<String> startupNotes, List<LoadResult> rows) {
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
  }

  private static LoadResult baseline(List<LoadResult> rows, String load) {
    for (LoadResult r : rows) {
      if (r.contender().equals(BASELINE) && r.load().equals(load)) {
        return r;
      }
    }
    return null;
  }

  static String ms(double value) {
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
