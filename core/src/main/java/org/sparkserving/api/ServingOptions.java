package org.sparkserving.api;

/**
 * Every option of the {@code serving} source and sink, with its default. Option names are
 * case-insensitive, as everywhere in Spark. A default may also be set for a whole session with
 * {@code spark.datasource.serving.<option>} (Spark's {@code SessionConfigSupport}); an option on
 * the reader or writer wins over it.
 */
public final class ServingOptions {

  private ServingOptions() {}

  /**
   * Source: the host or address to listen on. Default {@value #DEFAULT_HOST} in head-node mode; in
   * distributed mode each executor's own host as Spark knows it.
   */
  public static final String HOST = "host";

  public static final String DEFAULT_HOST = "localhost";

  /** Source: the port to listen on; 0 picks any free port (see the logs or Serving.endpoints). */
  public static final String PORT = "port";

  public static final String DEFAULT_PORT = "0";

  /**
   * Source, distributed mode: the driver's port for the registry, {@code GET
   * /_serving/services/<name>}, which lists the executors' URLs as JSON. Default 0, any free port
   * (logged, and in {@code Serving.registryUrl(name)}).
   */
  public static final String REGISTRY_PORT = "registryPort";

  /**
   * Source and sink: the service's name; it is served at {@code /<name>}. Required on the source.
   */
  public static final String NAME = "name";

  /** Source and sink: {@code head} (one server on the driver) or {@code distributed}. */
  public static final String MODE = "mode";

  public static final String DEFAULT_MODE = "head";

  /**
   * Source: most partitions per batch and server. Default in head-node mode: Spark's default
   * parallelism; in distributed mode: {@code spark.executor.cores} (1 if unset) per executor.
   */
  public static final String NUM_PARTITIONS = "numPartitions";

  /** Source: clients that may wait at once; one more gets 503 with Retry-After. */
  public static final String MAX_PENDING_REQUESTS = "maxPendingRequests";

  public static final String DEFAULT_MAX_PENDING_REQUESTS = "10000";

  /**
   * Source: largest request body accepted (bytes, or a size such as 512k, 10m); larger gets 413.
   */
  public static final String MAX_REQUEST_BYTES = "maxRequestBytes";

  public static final String DEFAULT_MAX_REQUEST_BYTES = "1m";

  /** Source: how long a client waits for its reply (ms, or a time such as 30s); then 504. */
  public static final String REPLY_TIMEOUT = "replyTimeout";

  public static final String DEFAULT_REPLY_TIMEOUT = "60s";

  /** Source: most requests in one micro-batch (Spark's admission control); the rest wait. */
  public static final String MAX_REQUESTS_PER_TRIGGER = "maxRequestsPerTrigger";

  public static final String DEFAULT_MAX_REQUESTS_PER_TRIGGER = "10000";

  /** Source: Netty worker threads per server. Default: the JVM's processors, from 2 to 8. */
  public static final String SERVER_THREADS = "serverThreads";

  /**
   * Source: whether a client whose request was in a batch that made the query fail hears the
   * failure's message ({@code true}) or only a short, safe line naming the exception's class
   * ({@code false}, the default: the full text goes to the driver's log only).
   */
  public static final String INCLUDE_ERROR_DETAILS = "includeErrorDetails";

  public static final String DEFAULT_INCLUDE_ERROR_DETAILS = "false";

  /**
   * Supervisor ({@code Serving.supervise}): most restarts in a row, each after a failure before the
   * restarted query completed a batch; then the supervisor gives up. Default {@value
   * #DEFAULT_MAX_RESTARTS}.
   */
  public static final String MAX_RESTARTS = "maxRestarts";

  public static final String DEFAULT_MAX_RESTARTS = "10";

  /** Supervisor: wait before the first restart after a failure; it doubles for each in a row. */
  public static final String RESTART_BACKOFF = "restartBackoff";

  public static final String DEFAULT_RESTART_BACKOFF = "500ms";

  /** Supervisor: the longest wait before a restart, however many failures came in a row. */
  public static final String MAX_RESTART_BACKOFF = "maxRestartBackoff";

  public static final String DEFAULT_MAX_RESTART_BACKOFF = "10s";

  /**
   * Supervisor: how long a failed query's head-node server keeps admitting and holding clients for
   * the restarted query to adopt; past it, it stops and its waiting clients get 500.
   */
  public static final String RESTART_GRACE_PERIOD = "restartGracePeriod";

  public static final String DEFAULT_RESTART_GRACE_PERIOD = "30s";

  /** Sink: the column whose value answers each request. Default {@value #DEFAULT_REPLY_COL}. */
  public static final String REPLY_COL = "replyCol";

  public static final String DEFAULT_REPLY_COL = "reply";

  /** Sink: the column holding each row's request id, as produced by the source. */
  public static final String ID_COL = "idCol";

  public static final String DEFAULT_ID_COL = "id";
}
