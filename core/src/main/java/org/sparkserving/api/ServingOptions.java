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
   * Source, distributed mode: the registry lists an executor's server only while it answered the
   * driver's last health probe within this time (ms, or a time such as 5s); probes run every
   * quarter of it. So an endpoint that cannot serve (its host cut off, its JVM hung) leaves the
   * listing within this time, and returns once it answers again.
   */
  public static final String REGISTRY_HEALTH_TIMEOUT = "registryHealthTimeout";

  public static final String DEFAULT_REGISTRY_HEALTH_TIMEOUT = "5s";

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

  // Server limits: they bound what clients can make one server hold (README, "Limits"). Services
  // sharing a port share its server, which keeps the limits of the service that started it.

  /** Source: open connections per server; a new one beyond it is closed at once. */
  public static final String MAX_CONNECTIONS = "maxConnections";

  public static final String DEFAULT_MAX_CONNECTIONS = "10000";

  /** Source: a connection with nothing to read, write or wait for is closed after this long. */
  public static final String IDLE_TIMEOUT = "idleTimeout";

  public static final String DEFAULT_IDLE_TIMEOUT = "60s";

  /** Source: time to receive one whole request (head and body); a slower one is closed. */
  public static final String REQUEST_READ_TIMEOUT = "requestReadTimeout";

  public static final String DEFAULT_REQUEST_READ_TIMEOUT = "30s";

  /** Source: requests waiting for replies on one connection before it is no longer read. */
  public static final String MAX_PIPELINED_REQUESTS = "maxPipelinedRequests";

  public static final String DEFAULT_MAX_PIPELINED_REQUESTS = "16";

  /**
   * Source: reply bytes queued for one connection before the server stops reading it; a client that
   * takes none of them for idleTimeout is closed.
   */
  public static final String MAX_OUTBOUND_BYTES = "maxOutboundBytes";

  public static final String DEFAULT_MAX_OUTBOUND_BYTES = "64k";

  /**
   * Source: request bytes (bodies, and heads with their Java overhead) one server holds at once:
   * arriving, or admitted and not yet in a committed batch or answered; past it 503 with
   * Retry-After.
   */
  public static final String MAX_PENDING_BYTES = "maxPendingBytes";

  public static final String DEFAULT_MAX_PENDING_BYTES = "64m";

  /** Source: largest body of an authenticated internal call (reply batches from other JVMs). */
  public static final String MAX_INTERNAL_REQUEST_BYTES = "maxInternalRequestBytes";

  public static final String DEFAULT_MAX_INTERNAL_REQUEST_BYTES = "64m";

  /** Source: longest request line, and largest header section; longer gets 414 or 431. */
  public static final String MAX_HEADER_BYTES = "maxHeaderBytes";

  public static final String DEFAULT_MAX_HEADER_BYTES = "8k";

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

  /**
   * Source, distributed mode: how long the driver waits for an executor's server on its per-trigger
   * calls (status, stop), made to every server in parallel; a server that has not answered keeps
   * its previous offset for that trigger (ms, or a time such as 500ms, 2s).
   */
  public static final String EXECUTOR_CALL_TIMEOUT = "executorCallTimeout";

  public static final String DEFAULT_EXECUTOR_CALL_TIMEOUT = "1s";

  /**
   * Source, distributed mode: an executor's server stops itself (waiting clients get 503, its port
   * is freed) when the driver has not renewed its lease for this long; the driver renews every
   * third of it (ms, or a time such as 10s, 1m).
   */
  public static final String LEASE_TIMEOUT = "leaseTimeout";

  public static final String DEFAULT_LEASE_TIMEOUT = "30s";
}
