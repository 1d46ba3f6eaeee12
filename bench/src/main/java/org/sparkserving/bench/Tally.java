package org.sparkserving.bench;

import java.util.concurrent.TimeUnit;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.IntCountsHistogram;

/**
 * What one client saw during a measured phase: the latency of every correct reply, and the count of
 * everything else. Each thread fills its own (histograms are not thread-safe, and sharing one would
 * make the clients contend); they are merged after the threads end.
 */
final class Tally {

  /** Latencies are recorded in microseconds: ample for a table printed in milliseconds. */
  private static final long HIGHEST_MICROS = TimeUnit.HOURS.toMicros(1);

  /**
   * Three significant digits. It grows with the largest latency recorded, and counts in ints: a
   * load has hundreds of these (one per client thread), and the soak measures the heap they share
   * with the service.
   */
  final AbstractHistogram latencyMicros = new IntCountsHistogram(3);

  /** Replies with status 200 and exactly the expected body. */
  long ok;

  /** Transport failures (refused, reset, timeout, malformed reply) and non-200 statuses. */
  long errors;

  /** Replies with status 200 but a body other than the expected one. */
  long mismatches;

  /** Requests the open-loop schedule never got to send before its time limit. */
  long notSent;

  /** When the last reply (or failure) of the phase arrived, from {@link System#nanoTime()}. */
  long lastDoneNanos = Long.MIN_VALUE;

  String firstError;
  String firstMismatch;

  void recordOk(long latencyNanos, long doneNanos) {
    ok++;
    latencyMicros.recordValue(Math.min(HIGHEST_MICROS, Math.max(0, latencyNanos / 1_000)));
    done(doneNanos);
  }

  void recordError(String what, long doneNanos) {
    errors++;
    if (firstError == null) {
      firstError = what;
    }
    done(doneNanos);
  }

  void recordMismatch(String what, long doneNanos) {
    mismatches++;
    if (firstMismatch == null) {
      firstMismatch = what;
    }
    done(doneNanos);
  }

  private void done(long doneNanos) {
    lastDoneNanos = Math.max(lastDoneNanos, doneNanos);
  }

  /** Every request that was due in the measured phase. */
  long requests() {
    return ok + errors + mismatches + notSent;
  }

  void add(Tally other) {
    latencyMicros.add(other.latencyMicros);
    ok += other.ok;
    errors += other.errors;
    mismatches += other.mismatches;
    notSent += other.notSent;
    lastDoneNanos = Math.max(lastDoneNanos, other.lastDoneNanos);
    if (firstError == null) {
      firstError = other.firstError;
    }
    if (firstMismatch == null) {
      firstMismatch = other.firstMismatch;
    }
  }
}
