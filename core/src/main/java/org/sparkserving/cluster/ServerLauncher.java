package org.sparkserving.cluster;

import java.util.List;
import java.util.Map;
import java.util.StringJoiner;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver thread that starts the service's server in every live executor that has none yet,
 * without waiting for traffic: whenever executors change (and every second, to retry launches that
 * Spark ran elsewhere) it runs one small {@link ServerLaunchSource} job pinned to the missing ones.
 */
final class ServerLauncher implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(ServerLauncher.class);
  private static final long RETRY_MS = 1000;

  private final SparkSession spark;
  private final LaunchPlan plan;
  private final Supplier<Map<String, String>> missing;
  private final Consumer<List<LaunchedServer>> launched;
  private final String jobGroup;
  private final Thread thread;
  private final Object signal = new Object();
  private volatile boolean closed;
  private volatile boolean launching;
  private boolean woken;

  /**
   * @param missing the executors (id to host) that should run a server and do not
   * @param launched receives what each launch job found or started
   */
  ServerLauncher(
      SparkSession spark,
      LaunchPlan plan,
      Supplier<Map<String, String>> missing,
      Consumer<List<LaunchedServer>> launched) {
    this.spark = spark;
    this.plan = plan;
    this.missing = missing;
    this.launched = launched;
    this.jobGroup = "spark-serving-launch-" + plan.serviceKey();
    this.thread = new Thread(this::run, "serving-launcher-" + plan.config().name());
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  /** Looks for executors without a server now. */
  void wake() {
    synchronized (signal) {
      woken = true;
      signal.notifyAll();
    }
  }

  private void run() {
    SparkContext sc = spark.sparkContext();
    // This thread inherited the streaming thread's job properties; the launch jobs are its own.
    sc.setLocalProperty("spark.sql.execution.id", null);
    sc.setJobGroup(
        jobGroup, "Spark Serving: start the servers of '" + plan.config().name() + "'", true);
    while (!closed) {
      Map<String, String> targets = missing.get();
      if (!targets.isEmpty()) {
        launch(targets);
      }
      synchronized (signal) {
        if (!woken && !closed) {
          try {
            signal.wait(RETRY_MS);
          } catch (InterruptedException e) {
            return;
          }
        }
        woken = false;
      }
    }
  }

  private void launch(Map<String, String> targets) {
    StringJoiner executors = new StringJoiner(",");
    targets.forEach((id, host) -> executors.add(id + "@" + host));
    launching = true;
    try {
      List<Row> rows =
          spark
              .read()
              .format(ServerLaunchSource.class.getName())
              .option("serviceKey", plan.serviceKey())
              .option("executors", executors.toString())
              .load()
              .collectAsList();
      launched.accept(
          rows.stream()
              .map(
                  r ->
                      new LaunchedServer(
                          r.getString(0), r.getString(1), r.getString(2), r.getString(3)))
              .toList());
    } catch (RuntimeException e) {
      if (!closed) {
        LOG.warn(
            "Starting servers of '{}' on executors {} failed; retrying: {}",
            plan.config().name(),
            executors,
            e.toString());
      }
    } finally {
      launching = false;
    }
  }

  @Override
  public void close() {
    closed = true;
    wake();
    if (launching) {
      spark.sparkContext().cancelJobGroup(jobGroup);
    }
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
