package org.sparkserving.cluster;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.ServingEndpoint;

/**
 * The executor's side of the lease: stops a server whose driver has not renewed its lease for
 * {@code leaseTimeout} (the driver died, hung, or its query ended without a stop call getting
 * through). Its waiting clients get 503 and its port is freed, so no orphan outlives its driver by
 * more than about one lease. One daemon thread per executor JVM checks every watched server.
 */
final class LeaseWatch {

  private static final Logger LOG = LoggerFactory.getLogger(LeaseWatch.class);

  private static final ScheduledExecutorService CHECKER =
      Executors.newSingleThreadScheduledExecutor(
          r -> {
            Thread t = new Thread(r, "serving-lease-watch");
            t.setDaemon(true);
            return t;
          });

  private LeaseWatch() {}

  /** How often a lease of {@code leaseTimeoutMs} is checked. */
  static long checkIntervalMs(long leaseTimeoutMs) {
    return Math.max(10, Math.min(1000, leaseTimeoutMs / 10));
  }

  /** Stops {@code endpoint} once its lease has not been renewed for {@code leaseTimeoutMs}. */
  static void watch(ServingEndpoint endpoint, long leaseTimeoutMs) {
    long interval = checkIntervalMs(leaseTimeoutMs);
    AtomicReference<ScheduledFuture<?>> task = new AtomicReference<>();
    long[] lastCheck = {System.nanoTime()};
    task.set(
        CHECKER.scheduleWithFixedDelay(
            () -> {
              long now = System.nanoTime();
              long sinceCheckMs = (now - lastCheck[0]) / 1_000_000L;
              lastCheck[0] = now;
              if (endpoint.isStopped()) {
                cancel(task);
              } else if (sinceCheckMs > 2 * interval + 1000) {
                // This JVM itself was frozen (a long GC pause, SIGSTOP): the driver's renewals
                // may be waiting in the socket, so do not blame the driver for our own gap.
                endpoint.renewLease();
              } else if (endpoint.msSinceLeaseRenewal() > leaseTimeoutMs) {
                LOG.warn(
                    "Service '{}' at {} stops itself: no lease renewal from the driver for {} ms"
                        + " (option leaseTimeout)",
                    endpoint.name(),
                    endpoint.url(),
                    endpoint.msSinceLeaseRenewal());
                endpoint.stop(ErrorReplies.stopped(endpoint.name()));
                cancel(task);
              }
            },
            interval,
            interval,
            TimeUnit.MILLISECONDS));
  }

  private static void cancel(AtomicReference<ScheduledFuture<?>> task) {
    ScheduledFuture<?> t = task.get();
    if (t != null) {
      t.cancel(false);
    }
  }
}
