package org.sparkserving;

import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeoutException;
import org.apache.spark.sql.ForeachWriter;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.streaming.DataStreamWriter;
import org.sparkserving.api.ServingOptions;
import org.sparkserving.api.SupervisorConfig;
import org.sparkserving.http.HttpServers;
import org.sparkserving.http.InternalApi;
import org.sparkserving.http.ServiceDirectory;
import org.sparkserving.http.ServingEndpoint;
import org.sparkserving.sink.ServingForeachWriter;

/** Where a running service can be reached, and the reply path as a {@code foreach} writer. */
public final class Serving {

  private Serving() {}

  /**
   * The URLs serving {@code name} right now, e.g. {@code http://127.0.0.1:8888/my_api}; empty until
   * the query's stream has started, and again after it stopped.
   */
  public static List<String> endpoints(String name) {
    return ServiceDirectory.urls(name);
  }

  /**
   * Where the driver lists the URLs serving {@code name} as JSON, {@code
   * {"name":"my_api","endpoints":["http://...",...]}}, for a load balancer or a client to follow:
   * the registry of a distributed service, or for a head-node service its own server. Null when
   * {@code name} is not served from this JVM.
   */
  public static String registryUrl(String name) {
    ServiceDirectory.Listing listing = ServiceDirectory.find(name);
    if (listing != null) {
      return InternalApi.registryUrl(listing.registryAddress(), name);
    }
    for (ServingEndpoint e : HttpServers.liveEndpoints()) {
      if (e.name().equals(name) && !e.isStopped()) {
        return InternalApi.registryUrl(e.address(), name);
      }
    }
    return null;
  }

  /**
   * Waits until {@code name} is served, for at most {@code timeoutMs}.
   *
   * @return the service's URLs
   * @throws IllegalStateException if it is not served in time
   */
  public static List<String> awaitEndpoints(String name, long timeoutMs)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeoutMs * 1_000_000L;
    while (true) {
      List<String> urls = endpoints(name);
      if (!urls.isEmpty()) {
        return urls;
      }
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "Service '"
                + name
                + "' is not served after "
                + timeoutMs
                + " ms: is its query running?");
      }
      Thread.sleep(10);
    }
  }

  /**
   * The serving sink as a {@code ForeachWriter}, for triggers that accept only allow-listed sinks
   * (Spark's real-time mode): {@code .writeStream().foreach(Serving.replyWriter("reply"))}.
   *
   * @param replyCol the column that answers each request
   */
  public static ForeachWriter<Row> replyWriter(String replyCol) {
    return new ServingForeachWriter(ServingOptions.DEFAULT_ID_COL, replyCol);
  }

  /**
   * Starts the query of {@code writer} and starts it again, on the same checkpoint, whenever it
   * fails, with the default settings ({@link #supervise(DataStreamWriter, Map)}).
   */
  public static SupervisedQuery supervise(DataStreamWriter<Row> writer) throws TimeoutException {
    return supervise(writer, Map.of());
  }

  /**
   * Starts the query of {@code writer} (which needs a {@code checkpointLocation}) and starts it
   * again on the same checkpoint whenever it fails, so that a request whose row makes the query
   * throw costs only its own batch's clients a 500. Settings (case-insensitive): {@code
   * maxRestarts} (10: failures in a row before giving up), {@code restartBackoff} (500ms: first
   * wait, doubling per failure in a row), {@code maxRestartBackoff} (10s), {@code
   * restartGracePeriod} (30s: how long a head-node server keeps admitting clients for the restart).
   *
   * @throws IllegalArgumentException for an invalid setting, naming it
   * @throws TimeoutException as {@code DataStreamWriter.start()}
   */
  public static SupervisedQuery supervise(
      DataStreamWriter<Row> writer, Map<String, String> settings) throws TimeoutException {
    return SupervisedQuery.start(writer, SupervisorConfig.parse(settings));
  }
}
