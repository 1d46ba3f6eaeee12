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
 *   <li>{@code registryHealthTimeout} (default {@code 5s}): distributed mode, the registry lists a
 *       server only while it answered a health probe within this time
 *   <li>{@code numPartitions} (default: Spark's default parallelism; distributed mode: {@code
 *       spark.executor.cores}): most partitions per batch and server
 *   <li>{@code maxPendingRequests} (default 10000): waiting clients; one more gets 503
 *   <li>{@code maxRequestBytes} (default {@code 1m}): largest body; larger gets 413
 *   <li>{@code replyTimeout} (default {@code 60s}): wait for a reply; then 504
 *   <li>{@code maxRequestsPerTrigger} (default 10000): most requests in one micro-batch
 *   <li>{@code serverThreads} (default: processors, 2 to 8): Netty worker threads
 *   <li>{@code executorCallTimeout} (default {@code 1s}): distributed mode, how long the driver
 *       waits for an executor's server on a per-trigger call (made to all in parallel)
 *   <li>{@code leaseTimeout} (default {@code 30s}): distributed mode, an executor's server stops
 *       itself when the driver has not renewed its lease for this long
 *   <li>{@code includeErrorDetails} (default {@code false}): whether clients of a batch that made
 *       the query fail hear the exception's message, not just its class name
 * </ul>
 *
 * <p>Server limits (README, "Limits"; a server keeps those of the service that started it):
 *
 * <ul>
 *   <li>{@code maxConnections} (default 10000): open connections; a new one beyond is closed
 *   <li>{@code idleTimeout} (default {@code 60s}): an idle (or non-reading) connection is closed
 *   <li>{@code requestReadTimeout} (default {@code 30s}): time to receive a whole request
 *   <li>{@code maxPipelinedRequests} (default 16): per connection, before reading pauses
 *   <li>{@code maxOutboundBytes} (default {@code 64k}): unsent reply bytes per connection, before
 *       reading pauses
 *   <li>{@code maxPendingBytes} (default {@code 64m}): request bytes held; past it 503
 *   <li>{@code maxInternalRequestBytes} (default {@code 64m}): largest internal call body
 *   <li>{@code maxHeaderBytes} (default {@code 8k}): longest request line and header section
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
