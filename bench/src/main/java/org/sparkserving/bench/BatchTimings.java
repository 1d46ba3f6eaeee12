package org.sparkserving.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.sql.streaming.StreamingQueryListener;
import org.apache.spark.sql.streaming.StreamingQueryProgress;

/**
 * Where a query's time goes, from Spark's own progress reports: the mean of each {@code durationMs}
 * phase (walCommit, addBatch, commitOffsets...) over the batches that read at least one request.
 * Printed under the table, it tells whether latency is Spark's per-batch bookkeeping or the
 * connector's work. Under real-time mode a progress report is one long batch, so the count of
 * reports also counts the batch boundaries, each a short gap in serving.
 */
final class BatchTimings extends StreamingQueryListener {

  private final Map<String, Long> totalMs = new TreeMap<>();
  private long reports;
  private long allReports;
  private long batches;
  private long rows;

  @Override
  public void onQueryStarted(QueryStartedEvent event) {}

  @Override
  public synchronized void onQueryProgress(QueryProgressEvent event) {
    reports++;
    allReports++;
    StreamingQueryProgress p = event.progress();
    if (p.numInputRows() <= 0) {
      return;
    }
    batches++;
    rows += p.numInputRows();
    p.durationMs().forEach((phase, ms) -> totalMs.merge(phase, ms, Long::sum));
  }

  @Override
  public void onQueryTerminated(QueryTerminatedEvent event) {}

  /** Progress reports since the query started, whatever the drains. */
  synchronized long allReports() {
    return allReports;
  }

  /** A one-line summary of the batches since the last call, or null if there were none. */
  synchronized String drain() {
    if (reports == 0) {
      return null;
    }
    StringBuilder s =
        new StringBuilder(
            String.format(
                Locale.ROOT,
                "Spark: %d progress reports, %d batches with input (warm-up included)",
                reports,
                batches));
    if (batches > 0) {
      s.append(
          String.format(
              Locale.ROOT, ", %.1f requests/batch; mean ms per batch:", (double) rows / batches));
      List<Map.Entry<String, Long>> phases = new ArrayList<>(totalMs.entrySet());
      phases.sort(Map.Entry.<String, Long>comparingByValue().reversed());
      for (Map.Entry<String, Long> e : phases) {
        double mean = (double) e.getValue() / batches;
        s.append(String.format(Locale.ROOT, " %s %.1f,", e.getKey(), mean));
      }
      s.setLength(s.length() - 1);
    }
    totalMs.clear();
    reports = 0;
    batches = 0;
    rows = 0;
    return s.toString();
  }
}
