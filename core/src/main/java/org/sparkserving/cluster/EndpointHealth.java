package org.sparkserving.cluster;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the registry should list a distributed service's server: only while it answered one of
 * the driver's calls (the lease renewals, which run at least every quarter of {@code
 * registryHealthTimeout}, or a status or commit call) within {@code registryHealthTimeout}. So a
 * server whose host is cut off or whose JVM hangs leaves the listing within that time, and returns
 * once it answers again. A server counts as healthy from its launch (the launch job just reached
 * it) until its first answer is due. No probes of its own: the renewals are the probes.
 */
final class EndpointHealth {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);

  private final String name;
  private final long timeoutNanos;
  private final ExecutorCalls calls;

  /** By origin: System.nanoTime() when the server was first seen, its grace before an answer. */
  private final Map<String, Long> firstSeen = new ConcurrentHashMap<>();

  /** Origins reported unhealthy, so that each change is logged once. */
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  EndpointHealth(String name, long timeoutMs, ExecutorCalls calls) {
    this.name = name;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.calls = calls;
  }

  /** True while {@code server} answered a call (or launched) within the timeout. */
  boolean isHealthy(LaunchedServer server) {
    return isHealthy(server.origin());
  }

  /** True while the server of {@code origin} answered a call (or launched) within the timeout. */
  boolean isHealthy(String origin) {
    Long answer = calls.lastAnswerNanos(origin);
    long since =
        answer != null ? answer : firstSeen.computeIfAbsent(origin, o -> System.nanoTime());
    return System.nanoTime() - since < timeoutNanos;
  }

  /** Logs each server that stops or starts answering, once per change; forgets servers gone. */
  void review(List<LaunchedServer> servers) {
    Set<String> present = ConcurrentHashMap.newKeySet();
    for (LaunchedServer s : servers) {
      present.add(s.origin());
      if (isHealthy(s)) {
        if (down.remove(s.origin())) {
          LOG.info("Service '{}': {} answers again; listed", name, s.url());
        }
      } else if (down.add(s.origin())) {
        LOG.warn(
            "Service '{}': {} did not answer for {} ms; unlisted until it does",
            name,
            s.url(),
            TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
      }
    }
    firstSeen.keySet().retainAll(present);
    down.retainAll(present);
  }
}
