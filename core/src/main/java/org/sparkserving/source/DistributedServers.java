package org.sparkserving.source;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.cluster.DistributedService;
import org.sparkserving.cluster.LaunchedServer;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.Origins;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.routing.RemoteServers;

/**
 * Distributed mode: a server in every executor. The driver reads each one's last seq and commits
 * through its internal endpoint (directly when it lives in the driver, as in local mode), and pins
 * each server's partitions to its executor.
 */
final class DistributedServers implements ServiceServers {

  private static final Logger LOG = LoggerFactory.getLogger(DistributedServers.class);

  /** How long a starting query waits for the executors' servers before its first batch. */
  private static final long START_WAIT_MS = 60_000;

  private final DistributedService service;

  private DistributedServers(DistributedService service) {
    this.service = service;
  }

  static DistributedServers start(ServingConfig config) {
    return new DistributedServers(DistributedService.start(config, START_WAIT_MS));
  }

  @Override
  public List<Server> live() {
    List<Server> out = new ArrayList<>();
    for (LaunchedServer s : service.servers()) {
      out.add(new ExecutorServer(s, service.secret(), service.isAnswering(s)));
    }
    return out;
  }

  @Override
  public Server find(String origin) {
    for (LaunchedServer s : service.servers()) {
      if (s.origin().equals(origin)) {
        return new ExecutorServer(s, service.secret(), service.isAnswering(s));
      }
    }
    return null;
  }

  @Override
  public Map<String, String> metrics() {
    List<Map<String, Long>> statuses = new ArrayList<>();
    for (LaunchedServer s : service.servers()) {
      if (!service.isAnswering(s)) {
        continue; // unreachable now: a call would only cost this trigger a timeout
      }
      Map<String, Long> status = status(s.origin(), service.secret());
      if (status != null) {
        statuses.add(status);
      }
    }
    return ServerMetrics.report(statuses);
  }

  @Override
  public void commit(String origin, long seq) {
    ServingEndpoint local = localEndpoint(origin);
    if (local != null) {
      local.commit(seq);
      return;
    }
    ExecutorServer server = (ExecutorServer) find(origin);
    if (server == null || !server.answering()) {
      // Only releases memory early; a later commit (up to a higher seq) covers this one.
      return;
    }
    try {
      RemoteServers.commit(origin, service.secret(), seq);
    } catch (IOException e) {
      // Only releases memory early; the requests still end when answered or timed out.
      LOG.debug("Cannot commit up to {} on {}: {}", seq, origin, e.toString());
    }
  }

  @Override
  public void stop(String failure) {
    service.stop(failure);
  }

  private static ServingEndpoint localEndpoint(String origin) {
    ServingEndpoint e = HttpServers.findInstance(Origins.instanceId(origin));
    return e == null || e.isStopped() ? null : e;
  }

  /** The server's status, or null when it cannot be reached right now. */
  private static Map<String, Long> status(String origin, String secret) {
    ServingEndpoint local = localEndpoint(origin);
    if (local != null) {
      return local.status();
    }
    try {
      return RemoteServers.status(origin, secret);
    } catch (IOException e) {
      LOG.debug("No status from {}: {}", origin, e.toString());
      return null;
    }
  }

  @Override
  public String toString() {
    return service.registryUrl();
  }

  /**
   * One executor's server.
   *
   * @param answering whether it answered the driver's health probe lately; when not, {@link
   *     #lastSeq} does not call it (its offset stays where it is until it answers again)
   */
  private record ExecutorServer(LaunchedServer server, String secret, boolean answering)
      implements Server {
    @Override
    public String origin() {
      return server.origin();
    }

    @Override
    public long lastSeq() {
      if (!answering) {
        return -1;
      }
      Map<String, Long> status = status(server.origin(), secret);
      return status == null ? -1 : status.getOrDefault("lastSeq", -1L);
    }

    @Override
    public String[] locations() {
      return new String[] {server.location()};
    }

    @Override
    public String toString() {
      return "ExecutorServer[" + server.url() + "]";
    }
  }
}
