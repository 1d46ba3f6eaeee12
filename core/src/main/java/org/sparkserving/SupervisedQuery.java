package org.sparkserving;

import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.api.ServingOptions;
import org.sparkserving.api.SupervisorConfig;
import org.sparkserving.supervise.LingeringEndpoints;
import org.sparkserving.supervise.Supervision;

/**
 * A streaming query that {@link Serving#supervise} starts again, on the same checkpoint, whenever
 * it fails: one request that makes the user's code throw costs its batch's clients a 500, not the
 * service. Restarts wait {@code restartBackoff} (500 ms), doubling for each failure in a row up to
 * {@code maxRestartBackoff} (10 s); a run that completed a batch resets the wait and the count.
 * After {@code maxRestarts} (10) failures in a row the supervisor gives up.
 *
 * <p>In head-node mode the failed query's server keeps admitting clients while the query restarts,
 * and the restarted query adopts it, so clients that were not in the failed batch are served by the
 * restart. Thread-safe.
 */
public final class SupervisedQuery {

  private static final Logger LOG = LoggerFactory.getLogger(SupervisedQuery.class);

  private final DataStreamWriter<Row> writer;
  private final SupervisorConfig config;
  private final String token = UUID.randomUUID().toString();
  private final Thread thread;
  private final CountDownLatch ended = new CountDownLatch(1);

  /** Guards {@link #current}, {@link #stopRequested} and the backoff wait. */
  private final Object lock = new Object();

  /** Guarded by lock: the run in progress (or the last one). */
  private StreamingQuery current;

  /** Guarded by lock. */
  private boolean stopRequested;

  private volatile int restarts;
  private volatile Throwable lastFailure;

  /** Set when the supervisor gave up: the failure that ended the last run. */
  private volatile Throwable finalFailure;

  private SupervisedQuery(DataStreamWriter<Row> writer, SupervisorConfig config) {
    this.writer = writer;
    this.config = config;
    this.thread = new Thread(this::supervise, "serving-supervisor-" + token.substring(0, 8));
    thread.setDaemon(true);
  }

  static SupervisedQuery start(DataStreamWriter<Row> writer, SupervisorConfig config)
      throws TimeoutException {
    SupervisedQuery s = new SupervisedQuery(writer, config);
    // The first start runs on the caller's thread, so a query that cannot start fails right here.
    s.current = s.startRun(0);
    s.thread.start();
    return s;
  }

  /** The query's current run; a new object after each restart. */
  public StreamingQuery query() {
    synchronized (lock) {
      return current;
    }
  }

  /** How many times the query was restarted so far. */
  public int restarts() {
    return restarts;
  }

  /** The failure that ended the latest failed run (or restart attempt), or null if none failed. */
  public Throwable lastFailure() {
    return lastFailure;
  }

  /** True until {@link #stop} was called, the query was stopped, or the supervisor gave up. */
  public boolean isActive() {
    return ended.getCount() > 0;
  }

  /**
   * Stops supervising and stops the query; its waiting clients get 503, as with {@code
   * StreamingQuery.stop()}. Stopping the current run's {@link #query()} directly also ends the
   * supervision.
   */
  public void stop() throws TimeoutException {
    StreamingQuery run;
    synchronized (lock) {
      stopRequested = true;
      lock.notifyAll();
      run = current;
    }
    if (run != null) {
      run.stop();
    }
    try {
      ended.await(30, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    LingeringEndpoints.releaseAll(token);
  }

  /**
   * Waits until the supervision ends.
   *
   * @throws StreamingQueryException the last failure, if the supervisor gave up after {@code
   *     maxRestarts} failures in a row
   */
  public void awaitTermination() throws StreamingQueryException, InterruptedException {
    ended.await();
    throwIfGaveUp();
  }

  /**
   * Waits at most {@code timeoutMs} for the supervision to end.
   *
   * @return true if it ended
   * @throws StreamingQueryException the last failure, if the supervisor gave up
   */
  public boolean awaitTermination(long timeoutMs)
      throws StreamingQueryException, InterruptedException {
    if (!ended.await(timeoutMs, TimeUnit.MILLISECONDS)) {
      return false;
    }
    throwIfGaveUp();
    return true;
  }

  private void throwIfGaveUp() throws StreamingQueryException {
    Throwable f = finalFailure;
    if (f instanceof StreamingQueryException sqe) {
      throw sqe;
    }
    if (f != null) {
      throw new IllegalStateException("The supervised query could not be restarted", f);
    }
  }

  /** Starts one run, marked so that its streams know they are supervised. */
  private StreamingQuery startRun(int restart) throws TimeoutException {
    SparkContext sc = SparkContext.getOrCreate();
    String previous = sc.getLocalProperty(Supervision.PROPERTY);
    // The query's thread is created inside start() and inherits this thread's local properties.
    sc.setLocalProperty(
        Supervision.PROPERTY,
        new Supervision(token, config.restartGracePeriodMs(), restart).encode());
    try {
      return writer.start();
    } finally {
      sc.setLocalProperty(Supervision.PROPERTY, previous);
    }
  }

  private void supervise() {
    int inARow = 0;
    long backoffMs = config.restartBackoffMs();
    StreamingQuery run = query();
    Throwable failure = null;
    try {
      while (true) {
        if (run != null) {
          failure = awaitEnd(run);
          if (failure == null) {
            return; // stopped cleanly: by stop(), or by the user stopping the run
          }
          if (run.lastProgress() != null) {
            // The run completed a batch: this failure is not part of a crash loop.
            inARow = 0;
            backoffMs = config.restartBackoffMs();
          }
        }
        lastFailure = failure;
        if (inARow >= config.maxRestarts()) {
          LOG.error(
              "Supervised query gives up after {} failed restart(s) in a row (option {}): {}",
              inARow,
              ServingOptions.MAX_RESTARTS,
              summary(failure));
          finalFailure = failure;
          return;
        }
        inARow++;
        LOG.warn(
            "Supervised query failed ({}); restart {} in {} ms",
            summary(failure),
            restarts + 1,
            backoffMs);
        if (!pause(backoffMs)) {
          return;
        }
        backoffMs = Math.min(config.maxRestartBackoffMs(), backoffMs * 2);
        try {
          run = startRun(restarts + 1);
          restarts++;
        } catch (Exception e) {
          // A start that fails counts as a failed run; keep trying with a longer wait.
          run = null;
          failure = e;
          continue;
        }
        synchronized (lock) {
          current = run;
          if (stopRequested) {
            run.stop();
            return;
          }
        }
      }
    } catch (Exception e) {
      LOG.error("Supervisor of a serving query stopped unexpectedly", e);
      finalFailure = e;
    } finally {
      LingeringEndpoints.releaseAll(token);
      ended.countDown();
    }
  }

  /** Waits for the run to end; returns its failure, or null if it was stopped. */
  private static Throwable awaitEnd(StreamingQuery run) throws InterruptedException {
    try {
      run.awaitTermination();
      return null;
    } catch (StreamingQueryException e) {
      return e;
    }
  }

  /** Waits {@code ms} unless a stop is requested; returns false when stopped. */
  private boolean pause(long ms) throws InterruptedException {
    long deadline = System.nanoTime() + ms * 1_000_000L;
    synchronized (lock) {
      while (!stopRequested) {
        long left = (deadline - System.nanoTime()) / 1_000_000L;
        if (left <= 0) {
          return true;
        }
        lock.wait(left);
      }
      return false;
    }
  }

  /** The innermost cause in one line, for the log (which is not shown to clients). */
  private static String summary(Throwable failure) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = String.valueOf(root.getMessage()).replaceAll("\\s+", " ");
    return root.getClass().getSimpleName()
        + ": "
        + (message.length() > 500 ? message.substring(0, 500) + "..." : message);
  }
}
