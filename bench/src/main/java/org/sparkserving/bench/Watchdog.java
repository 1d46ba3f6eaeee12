package org.sparkserving.bench;

import java.time.Duration;

/**
 * The last line of defence for "the benchmark always exits by itself": every loop already has a
 * count and a time limit, but if something outside them hangs (a Spark query that never stops,
 * say), this halts the JVM once the whole run has overstayed its budget.
 */
final class Watchdog {

  /** How long the watchdog lets the cluster's processes stop before it halts anyway. */
  private static final long CLUSTER_STOP_MILLIS = 60_000;

  private Watchdog() {}

  /**
   * A halt runs no shutdown hook, so the cluster's processes (other JVMs) are stopped first, by
   * PID, on a thread of their own in case that hangs too.
   */
  private static void stopClusterWithin(long millis) {
    Thread stop = new Thread(BenchCluster::close, "bench-watchdog-cluster-stop");
    stop.setDaemon(true);
    stop.start();
    try {
      stop.join(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** Starts a daemon thread that halts the JVM with status 3 after {@code budget}. */
  static void start(Duration budget) {
    Thread t =
        new Thread(
            () -> {
              try {
                Thread.sleep(budget.toMillis());
              } catch (InterruptedException e) {
                return;
              }
              System.err.println(
                  "Benchmark exceeded its time budget of " + budget.toSeconds() + " s; halting.");
              stopClusterWithin(CLUSTER_STOP_MILLIS);
              // halt, not exit: shutdown hooks (Spark's) may be what hangs.
              Runtime.getRuntime().halt(3);
            },
            "bench-watchdog");
    t.setDaemon(true);
    t.start();
  }
}
