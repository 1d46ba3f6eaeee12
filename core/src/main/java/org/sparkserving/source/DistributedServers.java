package org.sparkserving.source;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.cluster.DistributedService;
import org.sparkserving.cluster.LaunchedServer;

/**
 * Distributed mode: a server in every executor. The driver reads each one's last seq and commits
 * through its internal endpoint (directly when it lives in the driver, as in local mode), all
 * servers in parallel with a bounded wait ({@code executorCallTimeout}), and pins each server's
 * partitions to its executor.
 */
final class DistributedServers implements ServiceServers {

  /** How long a starting query waits for the executors' servers before its first batch. */
  private static final long START_WAIT_MS = 60_000;

  private final DistributedService service;

  private DistributedServers(DistributedService service) {
    this.service = service;
  }

  static DistributedServers start(ServingConfig config) {
    return new DistributedServers(DistributedService.start(config, START_WAIT_MS));
  }

  /**
   * The live servers. Their last seqs come from one parallel status round, made when the first of
   * them is asked (so listing servers alone, as planning does, calls nobody).
   */
  @Override
  public List<Server> live() {
    Supplier<Map<String, Map<String, Long>>> round = new Round(service);
    List<Server> out = new ArrayList<>();
    for (LaunchedServer s : service.servers()) {
      out.add(new ExecutorServer(s, service.secret(), round));
    }
    return out;
  }

  @Override
  public Server find(String origin) {
    for (Server s : live()) {
      if (s.origin().equals(origin)) {
        return s;
      }
    }
    return null;
  }

  @Override
  public String registryUrl() {
    return service.registryUrl();
  }

  @Override
  public Map<String, String> metrics() {
    return ServerMetrics.report(new ArrayList<>(service.statuses().values()));
  }

  @Override
  public void commit(String origin, long seq) {
    if (find(origin) != null) {
      // Only releases memory early; the requests still end when answered or timed out.
      service.commit(origin, seq);
    }
  }

  @Override
  public void stop(String failure) {
    service.stop(failure);
  }

  @Override
  public String toString() {
    return service.registryUrl();
  }

  /** One status round of the service's servers, made at most once, on first use. */
  private static final class Round implements Supplier<Map<String, Map<String, Long>>> {
    private final DistributedService service;
    private Map<String, Map<String, Long>> statuses;

    Round(DistributedService service) {
      this.service = service;
    }

    @Override
    public synchronized Map<String, Map<String, Long>> get() {
      if (statuses == null) {
        statuses = service.statuses();
      }
      return statuses;
    }
  }

  /** One executor's server. */
  private record ExecutorServer(
      LaunchedServer server, String secret, Supplier<Map<String, Map<String, Long>>> round)
      implements Server {
    @Override
    public String origin() {
      return server.origin();
    }

    @Override
    public long lastSeq() {
      Map<String, Long> status = round.get().get(server.origin());
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
