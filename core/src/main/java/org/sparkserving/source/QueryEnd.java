package org.sparkserving.source;

import java.util.UUID;
import org.apache.spark.SparkContext;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.streaming.StreamingQuery;
import org.apache.spark.sql.streaming.StreamingQueryException;

/**
 * Why a stream is being stopped, as its waiting clients should hear it. Spark stops a query's
 * sources on the query's own thread after recording the exception that ended it (if any) and before
 * it forgets the query, so the exception is visible from {@code stop()}.
 */
final class QueryEnd {

  /** Spark's local property naming the query that runs on this thread. */
  private static final String QUERY_ID_KEY = "sql.streaming.queryId";

  private static final int MAX_REASON_CHARS = 300;

  private QueryEnd() {}

  /** The reason the query running on this thread failed, or null if it did not fail. */
  static String failureOfCurrentQuery() {
    try {
      String id = SparkContext.getOrCreate().getLocalProperty(QUERY_ID_KEY);
      if (id == null) {
        return null;
      }
      StreamingQuery query = SparkSession.active().streams().get(UUID.fromString(id));
      if (query == null || query.exception().isEmpty()) {
        return null;
      }
      return reason(query.exception().get());
    } catch (RuntimeException e) {
      // Never let the explanation get in the way of stopping: the clients then hear 503.
      return null;
    }
  }

  /** The innermost cause's message, kept short: it goes to clients. */
  private static String reason(StreamingQueryException e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getClass().getSimpleName() + ": " + root.getMessage();
    return message.length() <= MAX_REASON_CHARS
        ? message
        : message.substring(0, MAX_REASON_CHARS) + "...";
  }
}
