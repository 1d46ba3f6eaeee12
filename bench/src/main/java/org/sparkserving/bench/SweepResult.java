package org.sparkserving.bench;

import java.time.Duration;
import java.util.Locale;

/**
 * The outcome of one contender's open-loop sweep: the highest rate that held and why the next step
 * did not.
 *
 * @param contender the contender's name
 * @param held the last step that held, or null if even the first failed
 * @param failedRate the rate of the step that failed, or 0 if every step up to the maximum held
 * @param why what made that step fail, or why the sweep ended
 */
record SweepResult(String contender, LoadResult held, int heldRate, int failedRate, String why) {

  /** Share of the target rate a step must achieve to hold. */
  static final double MIN_ACHIEVED = 0.9;

  /**
   * Why a sweep step at {@code rate} did not hold, or null if it did: any error or mismatch
   * (requests not sent in time count as errors), a p99 over the limit, or an achieved rate below
   * {@link #MIN_ACHIEVED} of the target.
   */
  static String failure(LoadResult r, int rate, Duration p99Limit) {
    Tally t = r.tally();
    if (t.errors + t.notSent > 0) {
      return (t.errors + t.notSent) + " error(s)";
    }
    if (t.mismatches > 0) {
      return t.mismatches + " mismatch(es)";
    }
    if (t.ok == 0) {
      return "no correct reply";
    }
    double p99 = r.percentileMs(99);
    if (p99 > p99Limit.toNanos() / 1e6) {
      return String.format(Locale.ROOT, "p99 %.1f ms > %d ms", p99, p99Limit.toMillis());
    }
    if (r.throughput() < MIN_ACHIEVED * rate) {
      return String.format(
          Locale.ROOT,
          "achieved %.0f/s, under %.0f%% of the target",
          r.throughput(),
          MIN_ACHIEVED * 100);
    }
    return null;
  }
}
