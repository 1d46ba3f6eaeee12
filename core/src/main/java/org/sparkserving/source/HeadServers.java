package org.sparkserving.source;

import java.util.LinkedHashMap;
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
import org.sparkserving.http.Reply;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.supervise.LingeringEndpoints;
import org.sparkserving.supervise.Supervision;

/**
 * Head-node mode: the one server this object starts on the driver. It answers every waiting client
 * with 503 (500 if the query failed) and frees its port on {@link #stop}. Under a supervisor
 * ({@code Serving.supervise}) a failure leaves the server serving for the restarted query, which
 * adopts it.
 */
final class HeadServers implements ServiceServers {

  private static final Logger LOG = LoggerFactory.getLogger(HeadServers.class);

  private final ServingEndpoint endpoint;
  private final Server server;

  /** The supervisor of the query, or null when it runs unsupervised. */
  private final Supervision supervision;

  /** Where a failed run leaves the server for the restart to adopt; null when unsupervised. */
  private final String adoptionKey;

  private HeadServers(ServingEndpoint endpoint, Supervision supervision, String adoptionKey) {
    this.endpoint = endpoint;
    this.supervision = supervision;
    this.adoptionKey = adoptionKey;
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
   * it ({@link SparkAddresses#driver}). Or, when a supervised query restarts on {@code checkpoint},
   * adopts the server its failed run left serving.
   */
  static HeadServers startOnDriver(ServingConfig config, String checkpoint) {
    Supervision supervision = Supervision.current();
    String key =
        supervision == null || checkpoint == null ? null : supervision.adoptionKey(checkpoint);
    ServingEndpoint adopted = key == null ? null : LingeringEndpoints.adopt(key);
    if (adopted != null) {
      LOG.info(
          "Service '{}' at {} resumed by its restarted query (restart {})",
          adopted.name(),
          adopted.url(),
          supervision.restarts());
      return new HeadServers(adopted, supervision, key);
    }
    return new HeadServers(
        HttpServers.open(
            config.requireName(),
            InstanceIdentity.random(),
            config.host(),
            config.port(),
            config.limits(),
            config.serverThreads(),
            SparkAddresses.driver(SparkSession.active().sparkContext())),
        supervision,
        key);
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
    Map<String, String> out = new LinkedHashMap<>(ServerMetrics.report(List.of(endpoint.status())));
    if (supervision != null) {
      out.put("restarts", Integer.toString(supervision.restarts()));
    }
    return out;
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
  public void fail(String failure, Map<String, Long> planned) {
    if (adoptionKey == null || endpoint.isStopped()) {
      stop(failure);
      return;
    }
    Reply reply = ErrorReplies.queryFailed(endpoint.name(), failure);
    int answered = endpoint.failTaken(planned.getOrDefault(endpoint.origin(), 0L), reply);
    LingeringEndpoints.hold(adoptionKey, endpoint, reply, supervision.graceMs());
    LOG.info(
        "Service '{}' at {} keeps admitting for up to {} ms while its query restarts;"
            + " {} request(s) the failed query held were answered 500",
        endpoint.name(),
        endpoint.url(),
        supervision.graceMs(),
        answered);
  }

  @Override
  public String toString() {
    return endpoint.url();
  }
}
