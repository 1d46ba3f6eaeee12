package org.sparkserving;

import java.util.Map;
import org.apache.spark.sql.connector.catalog.SessionConfigSupport;
import org.apache.spark.sql.connector.catalog.Table;
import org.apache.spark.sql.connector.catalog.TableProvider;
import org.apache.spark.sql.connector.expressions.Transform;
import org.apache.spark.sql.sources.DataSourceRegister;
import org.apache.spark.sql.types.StructType;
import org.apache.spark.sql.util.CaseInsensitiveStringMap;
import org.sparkserving.api.ServingConfig;
import org.sparkserving.api.ServingSchema;

/**
 * The {@code serving} format, for both {@code readStream} and {@code writeStream}.
 *
 * <p>Source options (names are case-insensitive; defaults may also be set per session as {@code
 * spark.datasource.serving.<option>}):
 *
 * <ul>
 *   <li>{@code name} (required): the service name, served at {@code /<name>}
 *   <li>{@code host} (default {@code localhost}; in distributed mode each executor's host): the
 *       address to listen on
 *   <li>{@code port} (default {@code 0}, any free port): the port to listen on
 *   <li>{@code mode} (default {@code head}): {@code head} serves from the driver, {@code
 *       distributed} from every executor
 *   <li>{@code registryPort} (default {@code 0}, any free port): distributed mode, where the driver
 *       lists the executors' URLs ({@code GET /_serving/services/<name>})
 *   <li>{@code numPartitions} (default: Spark's default parallelism; distributed mode: {@code
 *       spark.executor.cores}): most partitions per batch and server
 *   <li>{@code maxPendingRequests} (default 10000): waiting clients; one more gets 503
 *   <li>{@code maxRequestBytes} (default {@code 1m}): largest body; larger gets 413
 *   <li>{@code replyTimeout} (default {@code 60s}): wait for a reply; then 504
 *   <li>{@code maxRequestsPerTrigger} (default 10000): most requests in one micro-batch
 *   <li>{@code serverThreads} (default: processors, 2 to 8): Netty worker threads
 *   <li>{@code includeErrorDetails} (default {@code false}): whether clients of a batch that made
 *       the query fail hear the exception's message, not just its class name
 * </ul>
 *
 * <p>{@link Serving#supervise} restarts a failed query; its settings ({@code maxRestarts}, {@code
 * restartBackoff}, {@code maxRestartBackoff}, {@code restartGracePeriod}) are listed there.
 *
 * <p>Sink options: {@code replyCol} (default {@code reply}), {@code idCol} (default {@code id}),
 * {@code name} (optional; documents which service the query answers).
 *
 * @see org.sparkserving.api.ServingOptions
 */
public class ServingProvider implements TableProvider, DataSourceRegister, SessionConfigSupport {

  /** The short name: {@code format("serving")}. */
  public static final String SHORT_NAME = "serving";

  @Override
  public String shortName() {
    return SHORT_NAME;
  }

  @Override
  public String keyPrefix() {
    return SHORT_NAME;
  }

  @Override
  public StructType inferSchema(CaseInsensitiveStringMap options) {
    return ServingSchema.SOURCE;
  }

  @Override
  public Table getTable(
      StructType schema, Transform[] partitioning, Map<String, String> properties) {
    return new ServingTable(ServingConfig.parse(withDefaults(properties)));
  }

  /** The options as given; subclasses may add defaults of their own. */
  protected Map<String, String> withDefaults(Map<String, String> options) {
    return options;
  }
}
