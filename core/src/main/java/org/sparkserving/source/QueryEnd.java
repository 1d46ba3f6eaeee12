package org.sparkserving.source;

import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;

/**
 * Why a stream is being stopped, as its waiting clients should hear it. Spark stops a query's
 * sources on the query's own thread after recording the exception that ended it (if any) and before
 * it forgets the query, so the exception is visible from {@code stop()}.
 *
 * <p>Clients are anonymous, so by default they hear only the class name of the innermost cause
 * (option includeErrorDetails adds its message, cut short): the exception text can carry data of
 * other requests or of the deployment. Spark itself logs the full exception once, with its stack,
 * when the query terminates.
 */
final class QueryEnd {

  /** Spark's local property naming the query that runs on this thread. */
  private static final String QUERY_ID_KEY = "sql.streaming.queryId";

  private static final int MAX_REASON_CHARS = 300;

  private QueryEnd() {}

  /** The exception that ended the query running on this thread, or null if it did not fail. */
  static Throwable failureOfCurrentQuery() {
    try {
      String id = SparkContext.getOrCreate().getLocalProperty(QUERY_ID_KEY);
      if (id == null) {
        return null;
      }
      StreamingQuery query = SparkSession.active().streams().get(UUID.fromString(id));
      if (query == null || query.exception().isEmpty()) {
        return null;
      }
      return query.exception().get();
    } catch (RuntimeException e) {
      // Never let the explanation get in the way of stopping: the clients then hear 503.
      return null;
    }
  }

  /**
   * What a client may hear about {@code failure}: the innermost cause's class name, and with {@code
   * details} its message too, kept short.
   */
  static String clientReason(Throwable failure, boolean details) {
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String name = root.getClass().getSimpleName();
    if (!details) {
      return name + " (the service's log has the details)";
    }
    String message = name + ": " + root.getMessage();
    return message.length() <= MAX_REASON_CHARS
        ? message
        : message.substring(0, MAX_REASON_CHARS) + "...";
  }
}
