package org.sparkserving.source;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.http.EndpointMetrics;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.ServingEndpoint;

/**
 * The servers of one service as the driver's stream sees them. In head-node mode that is the one
 * server this object starts on the driver; it answers every waiting client with 503 and frees its
 * port on {@link #stop()}.
 */
final class ServiceServers {

  private static final Logger LOG = LoggerFactory.getLogger(ServiceServers.class);

  /** One live server instance of the service. */
  interface Server {
    String origin();

    String secret();

    long lastSeq();

    /** Spark locations where partitions reading this server should run; may be empty. */
    String[] locations();
  }

  private final ServingEndpoint endpoint;
  private final Server server;

  private ServiceServers(ServingEndpoint endpoint) {
    this.endpoint = endpoint;
    this.server =
        new Server() {
          @Override
          public String origin() {
            return endpoint.origin();
          }

          @Override
          public String secret() {
            return endpoint.secret();
          }

          @Override
          public long lastSeq() {
            return endpoint.lastSeq();
          }

          @Override
          public String[] locations() {
            return new String[0];
          }
        };
  }

  /** Starts the service's server on the driver (head-node mode). */
  static ServiceServers startOnDriver(ServingConfig config) {
    return new ServiceServers(
        HttpServers.open(
            config.requireName(),
            config.host(),
            config.port(),
            config.limits(),
            config.serverThreads()));
  }

  List<Server> live() {
    return endpoint.isStopped() ? List.of() : List.of(server);
  }

  /** The live server with this origin, or null. */
  Server find(String origin) {
    return !endpoint.isStopped() && endpoint.origin().equals(origin) ? server : null;
  }

  /** Counters of the service's servers, for the query's progress reports. */
  Map<String, String> metrics() {
    EndpointMetrics m = endpoint.metrics();
    Map<String, String> out = new LinkedHashMap<>();
    out.put("admitted", Long.toString(m.admitted()));
    out.put("replied", Long.toString(m.replied()));
    out.put("pending", Integer.toString(endpoint.pending()));
    out.put("timedOut", Long.toString(m.timedOut()));
    out.put("rejected", Long.toString(m.rejected()));
    out.put("duplicateReplies", Long.toString(m.duplicateReplies()));
    return out;
  }

  void commit(String origin, long seq) {
    if (endpoint.origin().equals(origin)) {
      endpoint.commit(seq);
    }
  }

  void stop() {
    if (!endpoint.isStopped()) {
      endpoint.stop(ErrorReplies.stopped(endpoint.name()));
      LOG.info("Service '{}' at {} stopped", endpoint.name(), endpoint.url());
    }
  }

  @Override
  public String toString() {
    return endpoint.url();
  }
}
