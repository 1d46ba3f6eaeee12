package org.sparkserving.cluster;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InstanceIdentity;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.PeerAddress;
import org.sparkserving.http.ServiceDirectory;
import org.sparkserving.routing.ServiceSecrets;

/**
 * The driver's view of one distributed service: a server in every live executor, started without
 * waiting for traffic, dropped when its executor goes, and listed for load balancers by the
 * driver's registry endpoint. One per running query.
 */
public final class DistributedService {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedService.class);

  private final ServingConfig config;
  private final LaunchPlan plan;
  private final Map<String, LaunchedServer> servers = new ConcurrentHashMap<>();
  private final HttpServers.Held registry;
  private final ServiceDirectory.Listing listing;
  private final ExecutorCalls calls;
  private final LeaseRenewer leases;
  private final EndpointHealth health;
  private volatile ExecutorTracker tracker;
  private ServerLauncher launcher;

  private DistributedService(ServingConfig config, PeerAddress driver) {
    this.config = config;
    this.plan =
        new LaunchPlan(config, InstanceIdentity.newServiceKey(), InstanceIdentity.newSecret());
    // The registry is the driver's: without a host option it listens where the executors reach
    // the driver, so load balancers and clients on every host can read it.
    this.registry =
        HttpServers.hold(
            driver == null ? config.host() : config.hostOr(driver.bindHost()),
            config.registryPort(),
            driver);
    this.listing = new ServiceDirectory.Listing(registry.address(), this::urls);
    this.calls =
        new ExecutorCalls(
            config.name(), plan.secret(), config.executorCallTimeoutMs(), this::serverGone);
    this.health = new EndpointHealth(config.name(), config.registryHealthTimeoutMs(), calls);
    // One round of calls renews the leases and is the registry's health probe, so it runs often
    // enough for both.
    long renewEveryMs =
        Math.max(1, Math.min(config.leaseTimeoutMs() / 3, config.registryHealthTimeoutMs() / 4));
    this.leases =
        new LeaseRenewer(
            config.name(), renewEveryMs, this::origins, calls, () -> health.review(servers()));
  }

  /**
   * Starts the service on every live executor and waits up to {@code waitMs} for their servers
   * (fewer is fine: late ones join the next batch).
   */
  public static DistributedService start(ServingConfig config, long waitMs) {
    String name = config.requireName();
    SparkSession spark = SparkSession.active();
    DistributedService service =
        new DistributedService(config, SparkAddresses.driver(spark.sparkContext()));
    try {
      service.plan.activate();
      ServiceSecrets.learnKey(service.plan.serviceKey(), service.plan.secret());
      ServiceDirectory.list(name, service.listing);
      service.launcher =
          new ServerLauncher(
              spark,
              service.plan,
              () -> {
                service.tracker.refresh();
                return service.missing();
              },
              service::register);
      service.tracker = ExecutorTracker.start(spark.sparkContext(), service::executorsChanged);
      service.leases.start();
      service.launcher.start();
      service.awaitServers(waitMs);
    } catch (RuntimeException | InterruptedException e) {
      service.stop(null);
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw new IllegalStateException("Cannot start distributed service '" + name + "'", e);
    }
    LOG.info(
        "Distributed service '{}' on {} executor(s): {}; registry at {}",
        name,
        service.servers.size(),
        service.urls(),
        service.registryUrl());
    return service;
  }

  private void awaitServers(long waitMs) throws InterruptedException {
    long deadline = System.nanoTime() + waitMs * 1_000_000L;
    while (!missing().isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }
  }

  private Map<String, String> missing() {
    Map<String, String> out = new HashMap<>(tracker.live());
    out.keySet().removeAll(servers.keySet());
    return out;
  }

  private void register(List<LaunchedServer> launched) {
    for (LaunchedServer s : launched) {
      if (tracker.isLive(s.executorId()) && servers.putIfAbsent(s.executorId(), s) == null) {
        LOG.info(
            "Service '{}' serves at {} on executor {}", config.name(), s.url(), s.executorId());
      }
    }
  }

  private void executorsChanged() {
    servers
        .values()
        .removeIf(
            s -> {
              boolean gone = !tracker.isLive(s.executorId());
              if (gone) {
                LOG.warn(
                    "Service '{}' lost its server {} with executor {}",
                    config.name(),
                    s.url(),
                    s.executorId());
              }
              return gone;
            });
    launcher.wake();
  }

  /**
   * A server answered 410: it no longer runs although its executor does (its lease expired while
   * the driver could not reach it, or it was stopped). Forget it so the launcher starts a new one.
   */
  private void serverGone(String origin) {
    boolean removed =
        servers.values().removeIf(s -> s.origin().equals(origin) && tracker.isLive(s.executorId()));
    if (removed) {
      LOG.warn("Service '{}' lost its server {}; starting a new one", config.name(), origin);
      if (launcher != null) {
        launcher.wake();
      }
    }
  }

  private List<String> origins() {
    return servers.values().stream().map(LaunchedServer::origin).toList();
  }

  /**
   * The status of each live server (its last admitted seq and counters), asked in parallel with a
   * wait of at most {@code executorCallTimeout}; a server that has not answered yet is left out or
   * keeps the status it last answered.
   */
  public Map<String, Map<String, Long>> statuses() {
    // A server that has not answered lately (cut off, hung) is not called: its last known status
    // stands in, so it costs the trigger no timeout; the lease renewals tell when it is back.
    return calls.statuses(
        servers().stream().map(LaunchedServer::origin).toList(), health::isHealthy);
  }

  /** Lets a server release the requests up to {@code upToSeq}; never waits for it. */
  public void commit(String origin, long upToSeq) {
    calls.commit(origin, upToSeq);
  }

  /** The servers of live executors. */
  public List<LaunchedServer> servers() {
    List<LaunchedServer> out = new ArrayList<>();
    if (tracker == null) {
      return out; // starting
    }
    for (LaunchedServer s : servers.values()) {
      if (tracker.isLive(s.executorId())) {
        out.add(s);
      }
    }
    return out;
  }

  /** The service's secret, for internal calls to its servers; never logged. */
  public String secret() {
    return plan.secret();
  }

  /** The URLs the registry lists: the servers of live executors that answer health probes. */
  private List<String> urls() {
    return servers().stream().filter(health::isHealthy).map(LaunchedServer::url).sorted().toList();
  }

  /** Where the driver lists this service's URLs as JSON. */
  public String registryUrl() {
    return InternalApi.registryUrl(registry.address(), config.name());
  }

  /**
   * Stops every server and the registry listing; waiting clients get 503, or 500 with {@code
   * failure} when it is not null.
   */
  public void stop(String failure) {
    if (launcher != null) {
      launcher.close();
    }
    if (tracker != null) {
      tracker.stop();
    }
    leases.close();
    calls.stopAll(origins(), failure);
    servers.clear();
    ServiceDirectory.unlist(config.name(), listing);
    plan.retire();
    registry.release().run();
    LOG.info("Distributed service '{}' stopped", config.name());
  }
}
