package org.sparkserving.bench;

/**
 * One row of the result table: what one load did to one contender.
 *
 * @param contender the contender's name
 * @param load the load's label, e.g. {@code closed c=32}; rows with equal labels are compared
 * @param tally the merged counts and latencies of the measured phase
 * @param elapsedNanos the measured phase's length, for the throughput
 * @param note anything that makes the row less than a clean measurement, or null
 */
record LoadResult(String contender, String load, Tally tally, long elapsedNanos, String note) {

  /** This result with {@code extra} appended to its note; itself if {@code extra} is null. */
  LoadResult withNote(String extra) {
    if (extra == null) {
      return this;
    }
    return new LoadResult(
        contender, load, tally, elapsedNanos, note == null ? extra : note + "; " + extra);
  }

  /** Correct replies per second. */
  double throughput() {
    return elapsedNanos <= 0 ? 0 : tally.ok * 1e9 / elapsedNanos;
  }

  /** A latency percentile in milliseconds, or NaN when no reply was correct. */
  double percentileMs(double percentile) {
    return tally.ok == 0
        ? Double.NaN
        : tally.latencyMicros.getValueAtPercentile(percentile) / 1_000.0;
  }

  double maxMs() {
    return tally.ok == 0 ? Double.NaN : tally.latencyMicros.getMaxValue() / 1_000.0;
  }
}
