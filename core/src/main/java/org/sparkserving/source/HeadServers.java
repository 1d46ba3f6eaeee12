package org.sparkserving.source;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.cluster.SparkAddresses;
import org.sparkserving.http.ErrorReplies;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InstanceIdentity;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.ServingEndpoint;

/**
 * Head-node mode: the one server this object starts on the driver. It answers every waiting client
 * with 503 (500 if the query failed) and frees its port on {@link #stop}.
 */
final class HeadServers implements ServiceServers {

  private static final Logger LOG = LoggerFactory.getLogger(HeadServers.class);

  private final ServingEndpoint endpoint;
  private final Server server;

  private HeadServers(ServingEndpoint endpoint) {
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

  /**
   * Starts the service's server on the driver (head-node mode): its clients call it where {@code
   * host} says; the executors read requests and send replies at the driver's address as Spark knows
   * it ({@link SparkAddresses#driver}).
   */
  static HeadServers startOnDriver(ServingConfig config) {
    return new HeadServers(
        HttpServers.open(
            config.requireName(),
            InstanceIdentity.random(),
            config.host(),
            config.port(),
            config.limits(),
            config.serverThreads(),
            SparkAddresses.driver(SparkSession.active().sparkContext())));
  }

  @Override
  public List<Server> live() {
    return endpoint.isStopped() ? List.of() : List.of(server);
  }

  @Override
  public Server find(String origin) {
    return !endpoint.isStopped() && endpoint.origin().equals(origin) ? server : null;
  }

  /** The head server lists itself: when it refuses connections, the registry does too. */
  @Override
  public String registryUrl() {
    return InternalApi.registryUrl(endpoint.address(), endpoint.name());
  }

  @Override
  public Map<String, String> metrics() {
    return ServerMetrics.report(List.of(endpoint.status()));
  }

  @Override
  public void commit(String origin, long seq) {
    if (endpoint.origin().equals(origin)) {
      endpoint.commit(seq);
    }
  }

  @Override
  public void stop(String failure) {
    if (!endpoint.isStopped()) {
      endpoint.stop(ErrorReplies.ended(endpoint.name(), failure));
      LOG.info("Service '{}' at {} stopped", endpoint.name(), endpoint.url());
    }
  }

  @Override
  public String toString() {
    return endpoint.url();
  }
}
