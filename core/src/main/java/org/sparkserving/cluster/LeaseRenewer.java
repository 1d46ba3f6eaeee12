package org.sparkserving.cluster;

import java.util.List;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A driver thread that renews the lease of every executor server of one distributed service, at
 * least every third of {@code leaseTimeout} and every quarter of {@code registryHealthTimeout},
 * whether or not triggers run (continuous mode and idle services make no other calls); the answers
 * are also the registry's health probe ({@link EndpointHealth}). The calls go out in parallel and
 * the thread never waits for them, so a hung executor cannot delay the renewal of the others.
 */
final class LeaseRenewer implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseRenewer.class);

  private final Thread thread;
  private final long intervalMs;
  private final Supplier<List<String>> origins;
  private final ExecutorCalls calls;
  private final Runnable afterRound;
  private volatile boolean closed;

  /**
   * @param intervalMs how often to renew: at most a third of the lease, so one lost renewal does
   *     not end a lease
   * @param afterRound run after each round (the registry's health review)
   */
  LeaseRenewer(
      String name,
      long intervalMs,
      Supplier<List<String>> origins,
      ExecutorCalls calls,
      Runnable afterRound) {
    this.intervalMs = intervalMs;
    this.origins = origins;
    this.calls = calls;
    this.afterRound = afterRound;
    this.thread = new Thread(this::run, "serving-lease-" + name);
    thread.setDaemon(true);
  }

  void start() {
    thread.start();
  }

  private void run() {
    while (!closed) {
      try {
        calls.renewLeases(origins.get(), java.time.Duration.ofMillis(intervalMs));
        afterRound.run();
      } catch (RuntimeException e) {
        LOG.warn("Cannot renew leases on {}: {}", thread.getName(), e.toString());
      }
      try {
        Thread.sleep(intervalMs);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
  }
}
