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
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InstanceIdentity;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.Origins;
import org.sparkserving.http.PeerAddress;
import org.sparkserving.http.ServiceDirectory;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.RemoteServers;
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
  private volatile ExecutorTracker tracker;
  private ServerLauncher launcher;
  private final EndpointHealth health;

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
    this.health =
        new EndpointHealth(
            config.name(), plan.secret(), config.registryHealthTimeoutMs(), this::servers);
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

  /**
   * True while {@code server} answered the driver's health probe within {@code
   * registryHealthTimeout}. The trigger path skips calls to a server that does not (cut off the
   * network, or hung) instead of paying a timeout on every trigger.
   */
  public boolean isAnswering(LaunchedServer server) {
    return health.isHealthy(server);
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
    health.close();
    for (LaunchedServer s : servers.values()) {
      ServingEndpoint local = HttpServers.findInstance(Origins.instanceId(s.origin()));
      if (local != null) {
        // In this JVM (local mode): stop it here, so its port is free when stop() returns.
        local.stop(ErrorReplies.ended(local.name(), failure));
        continue;
      }
      try {
        RemoteServers.stop(s.origin(), plan.secret(), failure);
      } catch (Exception e) {
        LOG.info(
            "Server {} of '{}' did not stop cleanly: {}", s.url(), config.name(), e.toString());
      }
    }
    servers.clear();
    ServiceDirectory.unlist(config.name(), listing);
    plan.retire();
    registry.release().run();
    LOG.info("Distributed service '{}' stopped", config.name());
  }
}
