package org.sparkserving.cluster;

import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.RemoteServers;

/**
 * The driver's health probe of a distributed service's servers, so that the registry tells the
 * truth: a server is listed only while its last status call succeeded within {@code timeoutMs}
 * (option {@code registryHealthTimeout}). Probes run every quarter of that, in parallel, each
 * server at most one at a time, so a server that hangs or whose host is cut off delays no other. A
 * server counts as healthy from its launch (the launch job just reached it) until its first probe
 * result.
 */
final class EndpointHealth implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(EndpointHealth.class);

  private final String name;
  private final String secret;
  private final long timeoutNanos;
  private final Supplier<List<LaunchedServer>> servers;

  /** By origin: System.nanoTime() of the last successful probe (or of the launch). */
  private final Map<String, Long> lastOk = new ConcurrentHashMap<>();

  /** Origins whose probe is running now: no second probe is queued behind a hung one. */
  private final Set<String> probing = ConcurrentHashMap.newKeySet();

  /** Origins reported unhealthy, so that each change is logged once. */
  private final Set<String> down = ConcurrentHashMap.newKeySet();

  private final ScheduledExecutorService ticker;
  private final ExecutorService probes;

  /**
   * @param servers the servers to probe, read on each round
   */
  EndpointHealth(
      String name, String secret, long timeoutMs, Supplier<List<LaunchedServer>> servers) {
    this.name = name;
    this.secret = secret;
    this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(timeoutMs);
    this.servers = servers;
    this.ticker = Executors.newSingleThreadScheduledExecutor(daemon("serving-health-" + name));
    this.probes = Executors.newFixedThreadPool(4, daemon("serving-health-" + name + "-probe"));
    long periodMs = Math.max(100, timeoutMs / 4);
    ticker.scheduleWithFixedDelay(this::probeAll, periodMs, periodMs, TimeUnit.MILLISECONDS);
  }

  /** True while {@code server} answered a probe (or launched) within the timeout. */
  boolean isHealthy(LaunchedServer server) {
    long last = lastOk.computeIfAbsent(server.origin(), o -> System.nanoTime());
    return System.nanoTime() - last < timeoutNanos;
  }

  private void probeAll() {
    List<LaunchedServer> now;
    try {
      now = servers.get();
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again: skip this round instead.
      LOG.debug("No servers to probe for '{}' yet: {}", name, e.toString());
      return;
    }
    // Forget servers that left (their executor is gone), so the maps stay as small as the service.
    Set<String> current = new HashSet<>();
    now.forEach(s -> current.add(s.origin()));
    lastOk.keySet().retainAll(current);
    down.retainAll(current);
    for (LaunchedServer s : now) {
      lastOk.putIfAbsent(s.origin(), System.nanoTime());
      if (probing.add(s.origin())) {
        try {
          probes.execute(() -> probe(s));
        } catch (RuntimeException e) {
          probing.remove(s.origin()); // closing
        }
      }
    }
  }

  private void probe(LaunchedServer s) {
    try {
      if (answers(s.origin())) {
        lastOk.put(s.origin(), System.nanoTime());
        if (down.remove(s.origin())) {
          LOG.info("Service '{}': {} answers again; listed", name, s.url());
        }
      }
    } catch (IOException | RuntimeException e) {
      LOG.debug("Health probe of {} failed: {}", s.url(), e.toString());
    } finally {
      probing.remove(s.origin());
    }
    if (!isHealthy(s) && down.add(s.origin())) {
      LOG.warn(
          "Service '{}': {} did not answer a health probe for {} ms; unlisted until it does",
          name,
          s.url(),
          TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
    }
  }

  private boolean answers(String origin) throws IOException {
    ServingEndpoint local = HttpServers.findInstance(Origins.instanceId(origin));
    if (local != null) {
      return !local.isStopped(); // in this JVM (local mode): no network between
    }
    RemoteServers.status(origin, secret);
    return true;
  }

  @Override
  public void close() {
    ticker.shutdownNow();
    probes.shutdownNow();
  }

  private static ThreadFactory daemon(String prefix) {
    AtomicInteger n = new AtomicInteger();
    return r -> {
      Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    };
  }
}
